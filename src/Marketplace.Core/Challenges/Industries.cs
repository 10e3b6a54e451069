namespace Marketplace.Core.Challenges;

/// <summary>The industries a challenge or vendor belongs to, with their names in both interface languages.</summary>
public static class Industries
{
    public sealed record Industry(string Slug, string NameZh, string NameEn);

    public static IReadOnlyList<Industry> All { get; } =
    [
        new("machinery", "装备制造", "Machinery"),
        new("electronics", "电子信息", "Electronics"),
        new("steel", "钢铁冶金", "Steel"),
        new("chemicals", "石油化工", "Chemicals"),
        new("textiles", "纺织服装", "Textiles"),
        new("energy", "能源电力", "Energy"),
        new("logistics", "物流仓储", "Logistics"),
        new("agriculture", "农业食品", "Agriculture"),
        new("medical-devices", "医疗器械", "Medical devices"),
    ];

    public static bool IsKnown(string? slug) => All.Any(i => i.Slug == slug);

    public static Industry? Find(string? slug) => All.FirstOrDefault(i => i.Slug == slug);
}
