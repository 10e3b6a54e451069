using Microsoft.Playwright;

namespace Marketplace.Web.Tests.Browser;

/// <summary>Answers a page's confirm() questions, accepting or dismissing them, and keeps what was asked, in order.</summary>
internal sealed class ConfirmationRecorder
{
    public List<string> Questions { get; } = [];

    // async void: Playwright's Dialog event wants an EventHandler.
    public async void Dismiss(object? sender, IDialog dialog)
    {
        Questions.Add(dialog.Message);
        await dialog.DismissAsync();
    }

    public async void Accept(object? sender, IDialog dialog)
    {
        Questions.Add(dialog.Message);
        await dialog.AcceptAsync();
    }
}
