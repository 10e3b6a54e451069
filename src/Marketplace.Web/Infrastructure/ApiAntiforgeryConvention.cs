using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationModels;

namespace Marketplace.Web.Infrastructure;

/// <summary>
/// Antiforgery tokens protect cookie-authenticated forms. The JSON API under /api/v1 accepts only bearer tokens,
/// which a browser never attaches on its own, so there is nothing to forge: every [ApiController] is exempt.
/// </summary>
public sealed class ApiAntiforgeryConvention : IControllerModelConvention
{
    public void Apply(ControllerModel controller)
    {
        if (controller.Attributes.OfType<ApiControllerAttribute>().Any())
        {
            // Order above the global AutoValidateAntiforgeryToken filter (1000) so this one decides.
            controller.Filters.Add(new IgnoreAntiforgeryTokenAttribute { Order = 1001 });
        }
    }
}
