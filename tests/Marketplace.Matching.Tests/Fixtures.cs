namespace Marketplace.Matching.Tests;

/// <summary>Small hand-written bilingual documents for ranking tests.</summary>
public static class Fixtures
{
    public static ChallengeDocument StripDefects { get; } = new("ch-strip", "冷轧带钢表面缺陷在线检测", "冷轧产线速度 900 米/分钟，需要在线识别划伤、辊印和氧化铁皮压入等表面缺陷。目前人工目检，漏检率约 8%。")
    {
        Tags = ["computer-vision", "defect-detection", "surface-inspection"],
        AcceptanceTargets = ["缺陷检出率 ≥ 98%"],
        Language = "zh",
        TargetTrl = 7,
    };

    public static ChallengeDocument ColdChain { get; } = new("ch-route", "Cold-chain route planning for 300 daily drops", "We plan refrigerated deliveries to 300 pharmacies a day by hand; routes ignore traffic and temperature limits.")
    {
        Tags = ["route-optimization", "planning-optimization"],
        Language = "en",
        TargetTrl = 6,
    };

    public static ChallengeDocument PumpVibration { get; } = new("ch-pump", "Predictive maintenance of cooling-water pumps", "Unplanned pump failures stop the line. We have vibration sensors on 40 pumps and want early warning of bearing wear.")
    {
        Tags = ["predictive-maintenance", "vibration-analysis"],
        Language = "en",
    };

    public static VendorDocument VisionVendor { get; } = new("ven-vision", "Shenshi Vision", "深视智能专注工业视觉缺陷检测：表面检测、边缘部署、产线在线检测。")
    {
        Tags = ["computer-vision", "defect-detection", "edge-ai"],
        Portfolio =
        [
            new PortfolioCase("某钢厂热轧带钢表面缺陷检测", "为钢厂部署带钢表面缺陷在线检测系统，识别划伤与辊印，检出率 99%。"),
            new PortfolioCase("PCB AOI", "Automated optical inspection of PCB solder joints."),
        ],
        Language = "zh",
        MaxTrlDelivered = 8,
    };

    public static VendorDocument RoutingVendor { get; } = new("ven-route", "RouteWise", "Vehicle routing and delivery planning for cold-chain logistics with time windows.")
    {
        Tags = ["route-optimization", "supply-chain"],
        Portfolio = [new PortfolioCase("Pharmacy delivery routes", "Optimised routes for 250 daily refrigerated deliveries with traffic-aware travel times.")],
        Language = "en",
        MaxTrlDelivered = 7,
    };

    public static VendorDocument MaintenanceVendor { get; } = new("ven-pdm", "Vibra Analytics", "Predictive maintenance from vibration data: bearing wear, pump and motor health, early warning.")
    {
        Tags = ["predictive-maintenance", "vibration-analysis", "time-series"],
        Portfolio =
        [
            new PortfolioCase("Pump bearing monitoring", "Vibration sensors on 60 pumps; bearing wear detected three weeks ahead."),
            new PortfolioCase("轧机主传动振动监测", "轧机齿轮箱振动监测与故障预警。"),
        ],
        Language = "en",
    };

    public static VendorDocument LlmVendor { get; } = new("ven-llm", "DocMind", "大模型知识库问答，工艺文件检索与智能客服。")
    {
        Tags = ["llm", "nlp", "knowledge-graph"],
        Portfolio = [new PortfolioCase("设备维修知识问答", "基于大模型的设备维修手册问答。")],
        Language = "zh",
    };

    public static ChallengeDocument[] Challenges { get; } = [StripDefects, ColdChain, PumpVibration];

    public static VendorDocument[] Vendors { get; } = [VisionVendor, RoutingVendor, MaintenanceVendor, LlmVendor];

    public static MatchIndex BuildIndex(MatchOptions? options = null)
    {
        var index = new MatchIndex(options);
        index.UpsertMany(Challenges);
        index.UpsertMany(Vendors);
        return index;
    }
}
