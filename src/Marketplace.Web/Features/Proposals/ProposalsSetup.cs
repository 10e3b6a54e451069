using Marketplace.Core.Features.Proposals;
using Marketplace.Core.Proposals;
using Marketplace.Web.Infrastructure;

namespace Marketplace.Web.Features.Proposals;

/// <summary>Resource anchor for the proposal pages and their messages (ProposalText.zh-CN.resx). Keys are the English text.</summary>
public sealed class ProposalText;

public static class ProposalsSetup
{
    /// <summary>
    /// The reader of proposals for this request (<see cref="ProposalPolicy.Reader"/>): the user's organisations, whether
    /// they are a programme officer, and the server's clock. Every proposal query takes it, so sealing is applied in
    /// SQL, never only in a view.
    /// </summary>
    public static async Task<ProposalViewer> ForProposalsAsync(this Viewer viewer, TimeProvider clock, CancellationToken cancellationToken) =>
        ProposalPolicy.Reader(await viewer.ActorAsync(cancellationToken), clock.GetUtcNow());
}
