using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Marketplace.Web.Infrastructure;

/// <summary>Pages served as a file to keep (a receipt, a decision report): the same view, as an attachment with a file name.</summary>
public static class Downloads
{
    public static ViewResult AsDownload(this Controller controller, string view, object model, string fileName)
    {
        controller.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = fileName, FileNameStar = fileName }.ToString();
        return controller.View(view, model);
    }
}
