namespace Marketplace.Core.Delivery;

/// <summary>Where a delivery project is: running, completed (every milestone accepted) or failed (a failure filing closed it).</summary>
public static class ProjectStatus
{
    public const string Active = "active";
    public const string Completed = "completed";
    public const string Failed = "failed";
}

/// <summary>
/// Where a milestone is. pending → evidence_submitted → accepted | rejected; a rejected milestone goes back to
/// evidence_submitted when the vendor submits again. Accepted is final.
/// </summary>
public static class MilestoneStatus
{
    public const string Pending = "pending";
    public const string EvidenceSubmitted = "evidence_submitted";
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";
}

/// <summary>A stage adjustment request: open until an officer approves or declines it.</summary>
public static class AdjustmentStatus
{
    public const string Open = "open";
    public const string Approved = "approved";
    public const string Declined = "declined";
}

/// <summary>Which party asked for a stage adjustment.</summary>
public static class DeliverySide
{
    public const string Vendor = "vendor";
    public const string Enterprise = "enterprise";
}

/// <summary>The enterprise's answer to "may this project be published as the vendor's portfolio case?".</summary>
public static class ConsentDecision
{
    public const string Granted = "granted";
    public const string Declined = "declined";
}

/// <summary>What a failure filing names as its cause, with the labels people read.</summary>
public sealed record FailureCategory(string Code, string English, string Chinese);

public static class FailureCategories
{
    public static IReadOnlyList<FailureCategory> All { get; } =
    [
        new("technical", "Technical: the approach did not reach the targets", "技术原因：技术路线未达到指标"),
        new("data", "Data: data missing, insufficient or of poor quality", "数据原因：数据缺失、不足或质量不佳"),
        new("integration", "Integration: could not be integrated with the production systems", "集成原因：无法与生产系统集成"),
        new("organisational", "Organisational: people, ownership or process on either side", "组织原因：双方人员、职责或流程"),
        new("commercial", "Commercial: budget, contract or business priorities changed", "商务原因：预算、合同或业务优先级变化"),
        new("external", "External: regulation, supply or other outside events", "外部原因：政策法规、供应链或其他外部事件"),
    ];

    public static bool IsKnown(string? code) => All.Any(c => c.Code == code);

    public static string Label(string code, bool chinese) =>
        All.FirstOrDefault(c => c.Code == code) is { } category ? (chinese ? category.Chinese : category.English) : code;
}
