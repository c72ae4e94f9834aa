"""Every word the briefs print, in Chinese (the default) and English: ``key → (中文, English)``."""
from __future__ import annotations

__all__ = ["TEXT", "tr"]

TEXT: dict[str, tuple[str, str]] = {
    # common
    "made": ("{city} · 编制日期 {date}（北京时间）", "{city} · made on {date} (Beijing time)"),
    "footer": ("内部工作材料 · 注意保密", "Internal working paper"),
    "sources": ("数据来源", "Sources"),
    "sources_none": ("（本文所列事实均无公开来源记录）", "(no public source recorded for these facts)"),
    "yi": ("{v}亿元", "{v} 亿元 (100 m yuan)"),
    "unknown": ("未知", "unknown"),
    "none": ("无", "none"),
    "yes": ("是", "yes"),
    # firm brief (一企一策)
    "f.title": ("一企一策：{name}", "One firm, one plan: {name}"),
    "f.sub": ("产业链：{chain}", "Chain: {chain}"),
    "f.facts": ("一、企业概况", "1. The firm"),
    "f.name": ("企业名称", "Name"), "f.name_en": ("英文名称", "English name"), "f.aliases": ("简称", "Also known as"),
    "f.credit": ("统一社会信用代码", "Unified credit code"), "f.hq": ("总部", "Headquarters"),
    "f.revenue": ("营业收入", "Revenue"), "f.revenue_v": ("{v}（{y}年）", "{v} ({y})"),
    "f.products": ("主营产品", "Products"), "f.stock": ("上市代码", "Stock code"), "f.status": ("登记状态", "Status"),
    "f.facts_src": ("资料来源：{v}", "Sources: {v}"),
    "f.fact": ("项目", "Item"), "f.value": ("内容", "Value"), "f.src": ("来源", "Source"),
    "f.why": ("二、为何适合引进", "2. Why it fits"),
    "f.score": ("综合得分 {score}（{mode}），在本链 {n} 家可评分企业中排第 {rank} 位。",
                "Score {score} ({mode}), ranked {rank} of {n} scorable firms on this chain."),
    "f.no_score": ("该企业与本链的机会环节不匹配，暂无得分。", "The firm matches none of this chain's open links: no score."),
    "f.reason": ("推荐理由：{reason}", "Why: {reason}"),
    "f.expand": ("已在{city}投资，可争取增资扩产。", "Already invested in {city}: an expansion lead."),
    "f.components": ("得分构成", "Score components"),
    "f.c_name": ("构成", "Component"), "f.c_value": ("分值", "Value"), "f.c_weight": ("权重", "Weight"),
    "f.relatedness": ("产业关联：{v}", "Relatedness: {v}"),
    "f.signal": ("扩张信号：{v}", "Expansion signal: {v}"),
    "f.links": ("三、可填补的环节", "3. Links it would fill"),
    "f.l_mode": ("类型", "Mode"), "f.l_link": ("环节", "Link"), "f.l_status": ("环节现状", "Status"),
    "f.l_severity": ("紧迫度", "Severity"), "f.l_basis": ("判断依据", "Basis"),
    "f.no_links": ("无匹配的机会环节。", "No open link matched."),
    "f.basis.known": ("已知经营该环节", "known to make it"), "f.basis.local": ("本地已有", "already local"),
    "f.basis.inferred": ("据主营产品推断", "inferred from its products"),
    "f.refer": ("四、以商引商路径与触达渠道", "4. Referral paths and channels"),
    "f.partners": ("与本地企业关系：{v}", "Ties to local firms: {v}"),
    "f.no_refer": ("暂无已知的供应或股权关系可供引荐。", "No known supply or ownership tie to ask for an introduction."),
    "f.channel": ("渠道", "Channel"), "f.detail": ("说明", "Detail"), "f.since": ("时间", "Since"),
    "f.follow": ("五、对接人与跟进记录", "5. Contacts and follow-ups"),
    "f.team": ("责任先锋队：{v}", "Pioneer team: {v}"),
    "f.fu_chain": ("产业链", "Chain"), "f.fu_status": ("跟进状态", "Status"), "f.fu_person": ("对接人", "Contact"),
    "f.fu_team": ("责任单位", "Team"), "f.fu_date": ("最近对接", "Last contact"), "f.fu_notes": ("情况", "Notes"),
    "f.no_follow": ("尚无跟进记录。建议由责任先锋队首次拜访并录入工作台。",
                    "No follow-up recorded yet: the team should make the first visit and record it."),
    "f.honours": ("六、荣誉资质与近期动态", "6. Honours and recent events"),
    "f.h_list": ("榜单", "List"), "f.h_year": ("年份", "Year"), "f.h_detail": ("说明", "Detail"),
    "f.no_honours": ("未记录荣誉资质。", "No honour recorded."),
    "f.e_date": ("日期", "Date"), "f.e_what": ("事项", "Event"), "f.e_place": ("地点", "Place"),
    "f.e_amount": ("金额（亿元）", "Amount (亿元)"),
    "f.no_events": ("未记录投资或扩张动态。", "No investment or expansion event recorded."),
    "f.actions": ("七、建议行动", "7. Next steps"),
    "f.act_visit": ("由{team}安排拜访，重点介绍{links}的配套与要素保障。",
                    "{team} to visit, presenting what {links} offers locally."),
    "f.act_refer": ("请{v}协助引荐。", "Ask {v} for an introduction."),
    "f.act_expand": ("对接在{city}的现有项目，了解增资扩产意向。", "Meet its existing project in {city} about expansion."),
    # chain report
    "c.title": ("{chain}产业链招商报告", "{chain} chain: investment-promotion report"),
    "c.sub": ("{n}个环节：优势{strong}、强链{strengthen}、补链{fill}、延链{extend}、待评估{unassessed}",
              "{n} links: strong {strong}, strengthen {strengthen}, fill {fill}, extend {extend}, "
              "unassessed {unassessed}"),
    "c.map": ("一、产业链图谱（现状与拟引进目标）", "1. Chain map (current, with the targets to attract)"),
    "c.map_cap": ("图例：绿色优势、黄色强链、红色补链、蓝色延链、灰色待评估；框内为本地企业，虚线框注明排名第一的拟引进企业。",
                  "Legend: green strong, yellow strengthen, red fill, blue extend, grey unassessed; local firms "
                  "inside each box; a dashed box names the top target to attract."),
    "c.no_map": ("（未能绘制图谱：本机未安装 Graphviz。）", "(No map drawn: Graphviz is not installed here.)"),
    "c.gaps": ("二、缺口环节（按紧迫度）", "2. Gaps (by severity)"),
    "c.g_link": ("环节", "Link"), "c.g_stage": ("位置", "Stage"), "c.g_status": ("状态", "Status"),
    "c.g_severity": ("紧迫度", "Severity"), "c.g_local": ("本地企业", "Local firms"), "c.g_reason": ("判断依据", "Why"),
    "c.no_gaps": ("本链无缺口环节。", "No gap on this chain."),
    "c.unassessed": ("另有{n}个环节待评估（尚未摸排，不等于缺失）：{links}。",
                     "{n} more links are unassessed (not surveyed yet, which is not the same as missing): {links}."),
    "c.targets": ("三、各先锋队重点目标企业", "3. Top targets per pioneer team"),
    "c.t_rank": ("排名", "Rank"), "c.t_firm": ("企业", "Firm"), "c.t_mode": ("类型", "Mode"),
    "c.t_score": ("得分", "Score"), "c.t_reason": ("推荐理由", "Why"),
    "c.no_targets": ("该队在本链暂无目标企业。", "No target on this chain for this team."),
    "c.mech": ("四、“八个一”工作机制", "4. The eight-ones mechanism (八个一)"),
    "c.m_slot": ("事项", "Item"), "c.m_status": ("状态", "Status"), "c.m_owner": ("责任人", "Owner"),
    "c.m_evidence": ("佐证", "Evidence"), "c.m_date": ("更新日期", "Updated"),
    "c.m_done": ("机制完备度 {v}。", "Mechanism completeness {v}."),
    "c.no_mech": ("本链尚未设置“八个一”事项。", "No 八个一 item set for this chain."),
    # ledger report
    "l.title": ("招商引资月报（{y}年{m}月）", "Investment-promotion monthly report ({y}-{m:02d})"),
    "l.sub": ("{city}项目信息库 · 截至{end}", "{city} project ledger · up to {end}"),
    "l.head": ("一、总体进展", "1. Progress"),
    "l.title_w": ("招商引资周报（{y}年第{w}周，{a}至{b}）", "Investment-promotion weekly report ({y} week {w}, {a} – {b})"),
    "l.new_m": ("本月新签约项目{n}个，计划总投资{yi}。", "Signed this month: {n} projects, {yi} planned."),
    "l.new_w": ("本周新签约项目{n}个，计划总投资{yi}。", "Signed this week: {n} projects, {yi} planned."),
    "l.ytd": ("{y}年1月1日至{end}累计签约{n}个，计划总投资{yi}", "1 Jan – {end} {y}: {n} signed, {yi} planned"),
    "l.vs": ("，完成年度目标{target}的{p}（时间进度{t}）。", ", {p} of the year's target {target} (time elapsed {t})."),
    "l.no_target": ("；本年未设目标。", "; no target set for the year."),
    "l.empty": ("提示：台账中尚无{y}年的签约记录，以上进度为零并不代表全市实际情况，请及时录入已签约项目。",
                "Note: the ledger holds no signing of {y} yet; a zero here does not mean nothing was signed. "
                "Enter the signed projects."),
    "l.base": ("对照：{y}年全市新签约项目{n}个、计划总投资{yi}（官方公布）。",
               "For comparison, {y} (official): {n} projects signed, {yi} planned."),
    "l.loose": ("另有{n}个本年签约项目的签约日期不完整（只有年份或月份），无法归入本期，未计入以上累计。",
                "{n} more projects signed this year have an incomplete date (year or month only): they cannot be "
                "placed and are not in the figures above."),
    "l.missing": ("{n}个签约项目未填计划总投资，金额按未知处理。", "{n} signed projects have no amount (unknown)."),
    "l.list_m": ("二、本月签约项目", "2. Signed this month"),
    "l.list_w": ("二、本周签约项目", "2. Signed this week"),
    "l.none_m": ("本月无新签约项目。", "No signing this month."),
    "l.none_w": ("本周无新签约项目。", "No signing this week."),
    "l.p_name": ("项目", "Project"), "l.p_investor": ("投资方", "Investor"), "l.p_chain": ("产业链", "Chain"),
    "l.p_amount": ("计划总投资（亿元）", "Planned (亿元)"), "l.p_stage": ("阶段", "Stage"),
    "l.p_county": ("县（市、区）", "County"), "l.p_date": ("签约日期", "Signed on"),
    "l.stage": ("三、项目阶段分布（全部在库项目）", "3. Projects by stage (whole ledger)"),
    "l.s_stage": ("阶段", "Stage"), "l.s_n": ("项目数", "Projects"), "l.s_yi": ("计划总投资（亿元）", "Planned (亿元)"),
    "l.by_chain": ("四、分产业链（本年累计签约）", "4. By chain (signed this year)"),
    "l.by_team": ("五、分先锋队/责任单位（本年累计签约）", "5. By pioneer team or responsible unit (signed this year)"),
    "l.by_county": ("六、分县（市、区）（本年累计签约）", "6. By county (signed this year)"),
    "l.k_name": ("名称", "Name"), "l.k_n": ("签约项目数", "Signed"), "l.k_yi": ("计划总投资（亿元）", "Planned (亿元)"),
    "l.k_share": ("占年度目标", "Share of target"),
    "l.blank_unit": ("未填写", "not given"),
    "l.none_year": ("本年尚无签约项目。", "Nothing signed this year yet."),
}


def tr(key: str, lang: str = "zh", **kw) -> str:
    """The string ``key`` in ``lang`` with ``{placeholders}`` filled.

    >>> tr("f.title", name="建滔集团"), tr("yi", "en", v="12.5")
    ('一企一策：建滔集团', '12.5 亿元 (100 m yuan)')
    """
    zh, en = TEXT[key]
    s = en if lang == "en" else zh
    return s.format(**kw) if kw else s
