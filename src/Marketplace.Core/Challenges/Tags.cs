namespace Marketplace.Core.Challenges;

/// <summary>The shared tag vocabulary (docs/seeds.md) with display names in both interface languages.</summary>
public static class Tags
{
    public sealed record Tag(string Slug, string NameZh, string NameEn);

    public static IReadOnlyList<Tag> All { get; } =
    [
        new("computer-vision", "机器视觉", "Computer vision"),
        new("defect-detection", "缺陷检测", "Defect detection"),
        new("surface-inspection", "表面检测", "Surface inspection"),
        new("ocr", "字符识别", "OCR"),
        new("3d-vision", "三维视觉", "3D vision"),
        new("measurement", "尺寸测量", "Measurement"),
        new("predictive-maintenance", "预测性维护", "Predictive maintenance"),
        new("anomaly-detection", "异常检测", "Anomaly detection"),
        new("vibration-analysis", "振动分析", "Vibration analysis"),
        new("time-series", "时间序列", "Time series"),
        new("soft-sensor", "软测量", "Soft sensors"),
        new("process-optimization", "工艺优化", "Process optimisation"),
        new("quality-prediction", "质量预测", "Quality prediction"),
        new("scheduling", "排产调度", "Scheduling"),
        new("planning-optimization", "计划优化", "Planning optimisation"),
        new("digital-twin", "数字孪生", "Digital twin"),
        new("simulation", "仿真", "Simulation"),
        new("reinforcement-learning", "强化学习", "Reinforcement learning"),
        new("robotics", "机器人", "Robotics"),
        new("robot-grasping", "机器人抓取", "Robot grasping"),
        new("agv", "AGV/AMR", "AGV/AMR"),
        new("edge-ai", "边缘智能", "Edge AI"),
        new("iot", "物联网", "IoT"),
        new("energy-optimization", "能效优化", "Energy optimisation"),
        new("load-forecasting", "负荷预测", "Load forecasting"),
        new("demand-forecasting", "需求预测", "Demand forecasting"),
        new("supply-chain", "供应链", "Supply chain"),
        new("route-optimization", "路径优化", "Route optimisation"),
        new("warehouse", "仓储", "Warehousing"),
        new("nlp", "自然语言处理", "NLP"),
        new("llm", "大模型", "Large language models"),
        new("knowledge-graph", "知识图谱", "Knowledge graphs"),
        new("speech", "语音", "Speech"),
        new("spectroscopy", "光谱分析", "Spectroscopy"),
        new("hyperspectral", "高光谱", "Hyperspectral imaging"),
        new("remote-sensing", "遥感", "Remote sensing"),
        new("crop-monitoring", "作物监测", "Crop monitoring"),
        new("livestock", "畜牧养殖", "Livestock"),
        new("medical-imaging", "医学影像", "Medical imaging"),
        new("regulatory-compliance", "合规", "Regulatory compliance"),
        new("safety-monitoring", "安全监测", "Safety monitoring"),
        new("video-analytics", "视频分析", "Video analytics"),
        new("data-platform", "数据平台", "Data platforms"),
        new("federated-learning", "联邦学习", "Federated learning"),
    ];

    public static Tag? Find(string? slug) => All.FirstOrDefault(t => t.Slug == slug);
}
