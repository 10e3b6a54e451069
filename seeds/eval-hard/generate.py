#!/usr/bin/env python3
"""Generates seeds/eval-hard: a harder, bilingual evaluation set for the vendor matcher.

Every challenge and vendor is drawn from latent attributes (industry x process x AI technique x data type) and then
written out in Chinese or English with paraphrases; judgements are computed from the latent attributes, never from
any matcher output. Deterministic: the same --seed writes byte-identical files.

    python3 seeds/eval-hard/generate.py [--seed 20261206] [--out seeds/eval-hard] [--challenges 160] [--vendors 320]

Grades: 2 = the vendor has delivered the challenge's technique in the challenge's industry (or process);
1 = the technique elsewhere, a generalist listing both the technique and the industry, or an adjacent technique in the same industry; 0 = the rest
(distractors sharing generic or industry words are judged 0 explicitly; unjudged vendors count as 0 anyway).
"""
import argparse
import json
import os
import random

# industry: (zh, en, processes [(zh, en)], tag)
INDUSTRIES = {
    "diecast": ("汽车压铸", "automotive die casting", [("压铸壳体", "die-cast housings"), ("铝合金铸件", "aluminium castings"), ("缸体加工", "engine block machining")], "automotive"),
    "steel": ("钢铁冶金", "steel making", [("冷轧带钢", "cold-rolled steel strip"), ("热轧产线", "hot rolling mill"), ("高炉炼铁", "blast furnace ironmaking")], "steel"),
    "textile": ("纺织印染", "textile and dyeing", [("坯布织造", "greige fabric weaving"), ("印染定型", "dyeing and finishing"), ("纺纱", "yarn spinning")], "textile"),
    "pcb": ("电子制造", "electronics manufacturing", [("SMT贴片", "SMT assembly"), ("PCB板", "printed circuit boards"), ("锡膏印刷", "solder paste printing")], "electronics"),
    "battery": ("锂电池制造", "lithium battery manufacturing", [("电芯卷绕", "cell winding"), ("极片涂布", "electrode coating"), ("化成分容", "formation and grading")], "battery"),
    "chemical": ("石油化工", "petrochemicals", [("精馏塔", "distillation columns"), ("聚合反应釜", "polymerisation reactors"), ("催化裂化", "catalytic cracking")], "chemical"),
    "food": ("食品饮料", "food and beverage", [("灌装线", "bottling lines"), ("烘焙生产", "industrial baking"), ("乳品加工", "dairy processing")], "food"),
    "wind": ("风电能源", "wind energy", [("风机齿轮箱", "turbine gearboxes"), ("叶片巡检", "blade inspection"), ("变桨系统", "pitch systems")], "energy"),
    "pharma": ("生物制药", "pharmaceuticals", [("压片工序", "tablet pressing"), ("冻干工艺", "freeze drying"), ("无菌灌装", "aseptic filling")], "pharmaceutical"),
    "weld": ("工程机械焊接", "heavy equipment welding", [("焊缝", "weld seams"), ("结构件焊接", "structural welding"), ("管道焊接", "pipeline welding")], "welding"),
}

# technique: zh paraphrases, en paraphrases, tag. The first two forms of each language are in the term list
# (seeds/terms/industrial-ai.tsv); the rest are free paraphrases the list does not contain.
TECHNIQUES = {
    "defect": (["缺陷检测", "瑕疵检测", "找出不良品", "外观不良判定"], ["defect detection", "flaw detection", "spotting bad parts", "catching visual faults"], "defect-detection"),
    "pdm": (["预测性维护", "预测维护", "提前发现设备隐患", "设备健康评估"], ["predictive maintenance", "predictive maintenance programme", "warning of machine failures early", "equipment health assessment"], "predictive-maintenance"),
    "process": (["工艺优化", "工艺参数优化", "调优生产配方", "参数寻优"], ["process optimisation", "process optimization", "tuning recipe settings", "finding the best set points"], "process-optimization"),
    "schedule": (["排产调度", "生产调度", "订单排序安排", "班次编排"], ["production scheduling", "scheduling", "sequencing orders", "shift rostering of lines"], "scheduling"),
    "softsensor": (["软测量", "软测量建模", "在线推断难测指标", "虚拟测点"], ["soft sensor", "soft sensors", "inferring lab values online", "virtual metering"], "soft-sensor"),
    "ocr": (["字符识别", "OCR", "读取喷码", "识别铭牌文字"], ["character recognition", "OCR", "reading printed codes", "reading nameplate text"], "ocr"),
    "measure": (["尺寸测量", "尺寸检测", "几何量检测", "轮廓量测"], ["dimensional measurement", "metrology", "gauging geometry", "profile gauging"], "measurement"),
    "energy": (["能耗优化", "能效优化", "降低电耗", "用能管控"], ["energy optimisation", "energy efficiency", "cutting power use", "energy cost control"], "energy-optimization"),
    "grasp": (["机器人抓取", "上下料", "无序分拣", "机械臂拣选"], ["robot grasping", "bin picking", "random part picking", "arm-based picking"], "robot-grasping"),
    "anomaly": (["异常检测", "异常识别", "发现异常工况", "工况偏离报警"], ["anomaly detection", "outlier detection", "flagging abnormal operation", "deviation alarms"], "anomaly-detection"),
}
ADJACENT = {("defect", "measure"), ("measure", "defect"), ("pdm", "anomaly"), ("anomaly", "pdm"), ("process", "softsensor"),
            ("softsensor", "process"), ("schedule", "energy"), ("energy", "schedule"), ("defect", "ocr"), ("ocr", "defect")}

DATA = {
    "image": ("工业相机图像", "industrial camera images"),
    "xray": ("X射线图像", "X-ray images"),
    "vibration": ("振动信号", "vibration signals"),
    "timeseries": ("DCS时序数据", "DCS time series"),
    "mes": ("MES生产记录", "MES production records"),
    "pointcloud": ("三维点云", "3D point clouds"),
}
TECH_DATA = {"defect": ["image", "xray"], "pdm": ["vibration", "timeseries"], "process": ["timeseries", "mes"], "schedule": ["mes"],
             "softsensor": ["timeseries"], "ocr": ["image"], "measure": ["pointcloud", "image"], "energy": ["timeseries", "mes"],
             "grasp": ["pointcloud", "image"], "anomaly": ["timeseries", "vibration"]}

# Generic words every vendor and challenge may use: the trap for a bag-of-words matcher.
GENERIC_ZH = ["智能化", "数字化转型", "平台", "提升效率", "降低成本", "赋能", "一站式", "解决方案", "人工智能", "大数据", "工业互联网", "全流程", "精益管理"]
GENERIC_EN = ["intelligent", "digital transformation", "platform", "efficiency", "cost reduction", "end-to-end", "solution", "artificial intelligence",
              "big data", "industrial internet", "lean management", "smart factory", "innovation"]
NAME_ZH = ["澄", "瞳", "智", "源", "科", "创", "锐", "航", "芯", "拓", "衡", "联", "思", "远", "博", "达", "图", "灵", "数", "云"]
NAME_EN = ["Lumen", "Vector", "Axiom", "Nimbus", "Kestrel", "Quanta", "Helix", "Orbit", "Cobalt", "Meridian", "Sable", "Tessera", "Vireo", "Zenith"]


def pick(rng, items, k):
    return rng.sample(items, k)


def challenge_text(rng, lang, ind, proc, tech, data):
    izh, ien, _, _ = INDUSTRIES[ind]
    pzh, pen = proc
    tzh, ten, _ = TECHNIQUES[tech]
    dzh, den = DATA[data]
    n = rng.randint(2, 9) * 100
    rate = rng.randint(85, 99)
    if lang == "zh":
        t1, t2 = rng.sample(tzh, 2)
        title = rng.choice([f"{pzh}{t1}", f"{izh}企业{pzh}环节{t1}需求", f"基于{dzh}的{pzh}{t1}"])
        body = (f"我公司属于{izh}行业，{pzh}环节目前主要依靠人工经验，{rng.choice(GENERIC_ZH)}推进缓慢。"
                f"现有{dzh}约{n}万条，希望引入{t2}能力，实现{t1}，准确率达到{rate}%以上。"
                f"项目要求{rng.choice(GENERIC_ZH)}，并与现有系统集成，{rng.choice(GENERIC_ZH)}。")
        target = f"{t1}准确率不低于{rate}%"
    else:
        t1, t2 = rng.sample(ten, 2)
        title = rng.choice([f"{t1.capitalize()} for {pen}", f"{ien.capitalize()}: {t1} in {pen}", f"{t1.capitalize()} from {den} in {pen}"])
        body = (f"We are {'an' if ien[0] in 'aeiou' else 'a'} {ien} manufacturer. Today {pen} rely on operator experience and our {rng.choice(GENERIC_EN)} programme is slow. "
                f"We hold about {n},000 records of {den} and want {t2} so that {t1} reaches at least {rate}% accuracy. "
                f"The solution must integrate with existing systems and support our {rng.choice(GENERIC_EN)} goals.")
        target = f"{t1} accuracy of at least {rate}%"
    return title, body, target


def case_text(rng, lang, ind, proc, tech, data):
    izh, ien, _, _ = INDUSTRIES[ind]
    pzh, pen = proc
    tzh, ten, _ = TECHNIQUES[tech]
    dzh, den = DATA[data]
    if lang == "zh":
        t = rng.choice(tzh)
        return f"{izh}{pzh}{t}项目", f"为某{izh}客户的{pzh}交付{t}系统，利用{dzh}建模，上线后效果稳定，{rng.choice(GENERIC_ZH)}。"
    t = rng.choice(ten)
    return f"{t.capitalize()} for a {ien} plant", f"Delivered {t} on {pen} for a {ien} customer using {den}; in production since go-live, with {rng.choice(GENERIC_EN)}."


def vendor(rng, i, kind, lang):
    if kind == "specialist":
        techs = pick(rng, list(TECHNIQUES), rng.choice([1, 1, 2]))
        inds = pick(rng, list(INDUSTRIES), rng.choice([1, 2, 2, 3]))
        cases = [(rng.choice(inds), rng.choice(techs)) for _ in range(rng.randint(2, 3))]
    elif kind == "generalist":
        techs = pick(rng, list(TECHNIQUES), rng.randint(4, 6))
        inds = pick(rng, list(INDUSTRIES), rng.randint(4, 6))
        cases = [(rng.choice(inds), rng.choice(techs)) for _ in range(rng.randint(1, 2))]
    else:  # distractor: industry words and generic words, a technique of its own
        techs = pick(rng, list(TECHNIQUES), 1)
        inds = pick(rng, list(INDUSTRIES), rng.randint(1, 2))
        cases = [(rng.choice(inds), techs[0]) for _ in range(rng.randint(1, 2))]
    if lang == "zh":
        name = "".join(rng.sample(NAME_ZH, 2)) + rng.choice(["智能科技", "视觉", "数据科技", "工业智能"])
        tech_words = "、".join(rng.choice(TECHNIQUES[t][0]) for t in techs)
        ind_words = "、".join(INDUSTRIES[d][0] for d in inds)
        gen = "、".join(rng.sample(GENERIC_ZH, 4 if kind != "specialist" else 2))
        profile = f"公司专注{tech_words}，服务{ind_words}等行业客户，提供{gen}。"
        if kind == "distractor":
            profile += f"深耕{ind_words}，{'、'.join(rng.sample(GENERIC_ZH, 4))}。"
    else:
        name = rng.choice(NAME_EN) + " " + rng.choice(["AI", "Analytics", "Vision", "Systems", "Robotics"])
        tech_words = ", ".join(rng.choice(TECHNIQUES[t][1]) for t in techs)
        ind_words = ", ".join(INDUSTRIES[d][1] for d in inds)
        gen = ", ".join(rng.sample(GENERIC_EN, 4 if kind != "specialist" else 2))
        profile = f"We provide {tech_words} for {ind_words} customers, with {gen}."
        if kind == "distractor":
            profile += f" Long experience in {ind_words}; {', '.join(rng.sample(GENERIC_EN, 4))}."
    portfolio = []
    case_attrs = []
    for ind, tech in cases:
        proc = rng.choice(INDUSTRIES[ind][2])
        data = rng.choice(TECH_DATA[tech])
        title, text = case_text(rng, lang, ind, proc, tech, data)
        portfolio.append({"title": title, "text": text})
        case_attrs.append((ind, proc[1], tech))
    tags = sorted({TECHNIQUES[t][2] for t in techs} | {INDUSTRIES[d][3] for d in inds})
    record = {"id": f"ven-{i:04d}", "name": name, "profile": profile, "portfolio": portfolio, "tags": tags, "language": lang}
    return record, {"kind": kind, "techs": set(techs), "inds": set(inds), "cases": case_attrs}


def grade(ch, v):
    ind, proc, tech = ch["ind"], ch["proc"], ch["tech"]
    case_hit = any(t == tech and (i == ind or p == proc) for i, p, t in v["cases"])
    if v["kind"] == "specialist" and tech in v["techs"] and (ind in v["inds"] or case_hit):
        return 2
    if case_hit:
        return 2
    if tech in v["techs"] and (v["kind"] != "generalist" or ind in v["inds"]):
        return 1
    if v["kind"] == "specialist" and ind in v["inds"] and any((t, tech) in ADJACENT for t in v["techs"]):
        return 1
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--challenges", type=int, default=160)
    parser.add_argument("--vendors", type=int, default=320)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    vendors, latent_v = [], []
    for i in range(args.vendors):
        kind = rng.choices(["specialist", "generalist", "distractor"], [0.6, 0.15, 0.25])[0]
        lang = "zh" if rng.random() < 0.55 else "en"
        record, latent = vendor(rng, i, kind, lang)
        vendors.append(record)
        latent_v.append(latent)

    challenges, qrels = [], []
    for i in range(args.challenges):
        ind = rng.choice(list(INDUSTRIES))
        proc = rng.choice(INDUSTRIES[ind][2])
        tech = rng.choice(list(TECHNIQUES))
        data = rng.choice(TECH_DATA[tech])
        lang = "zh" if rng.random() < 0.55 else "en"
        title, body, target = challenge_text(rng, lang, ind, proc, tech, data)
        cid = f"ch-{i:04d}"
        tags = sorted({TECHNIQUES[tech][2], INDUSTRIES[ind][3]})
        challenges.append({"id": cid, "title": title, "description": body, "acceptanceTargets": [target], "tags": tags, "language": lang})
        latent = {"ind": ind, "proc": proc[1], "tech": tech}
        zeros = []
        for vrec, vlat in zip(vendors, latent_v):
            g = grade(latent, vlat)
            if g > 0:
                qrels.append((cid, vrec["id"], g, f"{vlat['kind']}; {vrec['language']}"))
            elif ind in vlat["inds"] or vlat["kind"] == "distractor":
                zeros.append(vrec["id"])
        for vid in sorted(rng.sample(zeros, min(10, len(zeros)))):
            qrels.append((cid, vid, 0, "shares industry or generic words"))

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "challenges.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for c in challenges:
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
    with open(os.path.join(args.out, "vendors.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for v in vendors:
            f.write(json.dumps(v, ensure_ascii=False) + "\n")
    with open(os.path.join(args.out, "qrels.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write(f"# generated by seeds/eval-hard/generate.py --seed {args.seed}; challenge, vendor, grade, vendor kind and language\n")
        for cid, vid, g, why in qrels:
            f.write(f"{cid}\t{vid}\t{g}\t{why}\n")


if __name__ == "__main__":
    main()
