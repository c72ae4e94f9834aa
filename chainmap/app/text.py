"""Every UI string of the workbench, in Chinese (the default) and English.

One dictionary, ``key → (中文, English)``; :func:`tr` looks a key up and fills
``{placeholders}``. Pages never hold literal UI text.
"""
from __future__ import annotations

from ..io.importing.headers import HEADERS_ZH
from ..model import ProjectStage
from ..scoring.report import TARGET_HEADERS

__all__ = ["TEXT", "tr", "EN_TARGET_HEADERS"]

_STAGE_EN = {"线索": "Lead", "洽谈": "Talks", "签约": "Signed", "注册": "Registered", "供地": "Land supplied",
             "动工": "Construction", "投产": "Production", "达产": "Full output"}
_PROJECT_EN = {"id": "Project id", "name": "Project", "investor_id": "Investor id", "investor_name": "Investor",
               "chain": "Chain", "link_id": "Link", "planned_yi": "Planned investment (亿元)", "stage": "Stage",
               "signing_kind": "Signing kind", "signed_on": "Signed on", "started_on": "Started on",
               "land_mu": "Land (mu)", "county": "County", "park": "Park", "responsible_unit": "Responsible unit",
               "lead_unit": "Lead found by", "completed_yi": "Completed investment (亿元)", "source": "Source",
               "notes": "Notes"}

#: Readable English headers for the ranked list (``target_table(lang="en")`` keeps raw column names).
EN_TARGET_HEADERS = {
    "rank": "Rank", "name_zh": "Firm", "mode": "Mode", "score": "Score", "links": "Links", "reason": "Why",
    "honour": "Honours", "hq_city": "HQ city", "hq_region": "Region", "team_name": "Pioneer team",
    "fill_score": "Fill", "strengthen_score": "Strengthen", "extend_score": "Extend", "affinity": "Affinity",
    "relatedness": "Relatedness", "tier": "Tier", "propensity": "Propensity", "reach": "Reach",
    "expand": "Expansion", "inferred": "Link inferred", "firm_id": "Firm id",
}
_TT = {"rank": "rank", "name": "name_zh", "mode": "mode", "score": "score", "reason": "reason", "links": "links",
       "fill": "fill_score", "strengthen": "strengthen_score", "extend": "extend_score", "affinity": "affinity",
       "relatedness": "relatedness", "tier": "tier", "propensity": "propensity", "reach": "reach"}

TEXT: dict[str, tuple[str, str]] = {
    # navigation and sidebar
    "nav.overview": ("总览", "Overview"),
    "nav.map": ("产业链图谱", "Chain map"),
    "nav.targets": ("目标企业", "Target firms"),
    "nav.firm": ("企业画像", "Firm profile"),
    "nav.mechanism": ("八个一", "Mechanism (八个一)"),
    "nav.projects": ("项目信息库", "Project ledger"),
    "side.chain": ("产业链", "Chain"),
    "side.backend": ("数据后端", "Data backend"),
    "backend.sqlite": ("本地工作区", "Local workspace"),
    "backend.neo4j": ("Neo4j 图数据库", "Neo4j database"),
    "side.neo4j_failed": ("无法连接 Neo4j，已改用本地工作区：{err}", "Neo4j unavailable, using the local workspace: {err}"),
    "side.mode": (":material/lock_open: 本地单用户编辑模式：未配置登录（.streamlit/secrets.toml），任何能打开本页的人都可修改，"
                  "请勿对外开放。",
                  ":material/lock_open: Local single-user editor mode: no sign-in configured (.streamlit/secrets.toml), "
                  "anyone who can open this page can edit; do not expose it."),
    "acc.guest": (":material/lock: 只读：登录并具有编辑权限后可修改。", ":material/lock: Read-only: sign in as an editor to edit."),
    "acc.login": ("登录", "Sign in"),
    "acc.logout": ("退出登录", "Sign out"),
    "acc.editor": (":material/edit: 已登录：{user}（编辑）", ":material/edit: Signed in: {user} (editor)"),
    "acc.viewer": (":material/visibility: 已登录：{user}（只读）", ":material/visibility: Signed in: {user} (read-only)"),
    "acc.read_only": ("您的账号为只读权限：如需修改，请联系管理员加入编辑名单。",
                      "Your account is read-only: ask the administrator to add you to the editors."),
    "acc.sign_in_to_edit": ("只读：请先在侧栏登录编辑账号。", "Read-only: sign in as an editor in the sidebar first."),
    "acc.refused": ("未保存：当前账号没有编辑权限。", "Not saved: this account may not edit."),
    "hx.title": ("变更记录", "Change log"),
    "hx.caption": ("每次保存、导入和撤销都记录修改人、时间和修改前后的内容；导入可整体撤销。",
                   "Every save, import and undo records who, when, and the values before and after; "
                   "an import can be undone as one unit."),
    "hx.none": ("暂无变更记录。", "No changes recorded yet."),
    "hx.firm_none": ("该企业暂无变更记录。", "No changes recorded for this firm."),
    "hx.sets": ("最近的变更集", "Recent change sets"),
    "hx.pick": ("查看变更集", "Change set"),
    "hx.n": ("{n}条记录", "{n} records"),
    "hx.undo": ("撤销此变更集", "Undo this change set"),
    "hx.undo_help": ("恢复该变更集修改前的内容（作为一次新的变更记录）；如其中的记录之后又被修改，将不会撤销。",
                     "Restores the values before this change set, as a new change set; refused if any of its records "
                     "changed since."),
    "hx.undone": ("已撤销变更集 {cs}（新变更集 {new}）", "Undid change set {cs} (new change set {new})"),
    "hx.undo_failed": ("未撤销：{err}", "Not undone: {err}"),
    "h.change_set": ("变更集", "Change set"), "h.at": ("时间（北京时间）", "Time (Beijing)"), "h.author": ("修改人", "Author"),
    "h.action": ("操作", "Action"), "h.n": ("记录数", "Records"),
    "fm.tab_history": ("变更记录", "History"),
    "side.where": ("数据：{kind} · {where}", "Data: {kind} · {where}"),
    "side.refresh": ("重新读取数据", "Reload data"),
    "ws.bad": ("工作区 {path} 不可用：{err}", "Workspace {path} cannot be used: {err}"),
    "load.read": ("正在读取并校验工作区数据…", "Reading and checking the workspace…"),
    "load.fit": ("正在计算缺口与目标企业评分（{n:,}家企业）…", "Computing gaps and target scores ({n:,} firms)…"),
    "load.done": ("载入完成", "Loaded"),
    # units and shared labels
    "unit.yi": ("{v}亿元", "{v} 亿元"),
    "unit.yi_short": ("亿", " 亿"),
    "unit.yi_long": ("亿元", " 亿元"),
    "unit.n": ("{n}个", "{n}"),
    "unit.links": ("{n}个环节", "{n} links"),
    "mode.all": ("全部", "All"),
    "mode.fill": ("补链", "Fill"),
    "mode.strengthen": ("强链", "Strengthen"),
    "mode.extend": ("延链", "Extend"),
    "strategy.稳健": ("稳健", "Steady"),
    "strategy.跨越": ("跨越", "Leap"),
    "strategy.learned": ("学习", "Learned"),
    "bt.title": ("模型回测：推荐名单里有没有真正来投资的企业", "Backtest: did the lists hold the firms that really invested?"),
    "bt.caption": ("每个年度之前，按当时的产业链与企业状况重新排名，再看当年真实投资企业排在第几。"
                   "与“最大企业优先”和“仅看关联度”两个基准对比；括号内为自助法95%区间。",
                   "Before each year, the chains and firms are rebuilt as they stood and ranked again; then we see "
                   "where the year's real investors landed, against two baselines. Brackets: 95% bootstrap interval."),
    "bt.method": ("方法", "Method"),
    "bt.n": ("投资事件数", "Events"),
    "bt.coverage": ("覆盖率", "Coverage"),
    "bt.coverage_note": ("覆盖率：真实投资企业中已在企业库、且已归入该产业链环节的比例。不在库的企业计为未命中，"
                         "名单排得再好也找不到它们；覆盖率低时，先补企业库，再比较方法。",
                         "Coverage: the share of real investors that are in the firm library and placed on the chain. "
                         "Firms outside it count as misses that no ranking can find; where coverage is low, grow the "
                         "library before comparing methods."),
    "bt.running": ("正在回测……", "Backtesting…"),
    "bt.step": ("回测：{what} 年度完成", "Backtest: period {what} done"),
    "bt.live": ("**按当前数据回测的结果**", "**Backtest on the current data**"),
    "bt.saved": ("**{date} 学习权重时保存的回测结果**", "**Backtest saved when the weights were learned on {date}**"),
    "bt.none": ("尚无回测结果：点击下方按钮运行一次。", "No backtest yet: use the button below to run one."),
    "bt.note": ("AUC-PR：全名单的查准-查全面积（随机排序约等于投资企业占比）；P@20：前20名中真实投资企业的比例；"
                "MRR：真实投资企业排名倒数的平均。事件较少，请看区间而非单个数值。",
                "AUC-PR: area under precision-recall over the whole list (random ≈ share of investors); P@20: share of "
                "real investors in the top 20; MRR: mean reciprocal rank. Few events: read the intervals."),
    "bt.run": ("按当前数据重新回测", "Backtest the current data"),
    "bt.learned": ("学习权重（90%区间）", "Learned weights (90% interval)"),
    "bt.weights_note": ("学习权重由 {pos} 个投资样本与 {neg} 个未投资样本的逻辑回归得出；仅作为可选的“学习”策略，"
                        "不替换默认的“稳健”。", "Learned by logistic regression from {pos} investing and {neg} "
                        "non-investing rows; offered as the optional 'Learned' strategy, never replacing 稳健."),
    "slot.已落实": ("已落实", "In place"),
    "slot.推进中": ("推进中", "In progress"),
    "slot.未启动": ("未启动", "Not started"),
    "verified.yes": ("已核实", "verified"),
    "verified.partial": ("部分核实", "partly verified"),
    "verified.no": ("未核实", "not verified"),
    "verified.illustrative": ("示意数据", "illustrative"),
    "verified.blank": ("未标注", "not stated"),
    "tg.any": ("全部", "Any"),
    # saving
    "save.ok": ("已保存", "Saved"),
    "save.conflict": ("保存失败：在您打开这条记录之后，已有其他人先保存了修改。为避免覆盖对方的内容，本次未保存。"
                      "请点击“重新加载”查看最新内容，再重新修改。",
                      "Not saved: someone else saved this record after you opened it. To avoid overwriting their "
                      "change nothing was written. Click “Reload” to see the latest version, then edit again."),
    "save.reload": ("重新加载", "Reload"),
    "save.invalid": ("未保存：以下内容有误，请修改后再保存。", "Not saved: please correct the following."),
    "save.io": ("未保存：写入文件失败（{err}）", "Not saved: writing the files failed ({err})"),
    "prob.file": ("文件", "File"),
    "prob.row": ("行", "Row"),
    "prob.column": ("列", "Column"),
    "prob.problem": ("问题", "Problem"),
    # overview
    "city.unnamed": ("本市", "the city"),
    "ov.title": ("{city}产业链招商总览", "{city} chain promotion: overview"),
    "ov.caption": ("{chains}产业链的缺口、目标企业、机制与项目进度。金额单位：亿元。",
                   "Gaps, target firms, mechanism and project pipeline of the chains. Amounts in 亿元 (100 million yuan)."),
    "ov.year": ("年度", "Year"),
    "ov.gauge_title": ("{year}年新签约项目计划总投资（目标≥{target}亿元）",
                       "{year} newly signed planned investment (target ≥ {target} 亿元)"),
    "ov.gauge_title_nt": ("{year}年新签约项目计划总投资", "{year} newly signed planned investment"),
    "ov.gauge_note": ("红线：全年目标；黑线：{by}年全年{base}亿元；浅蓝：按时间进度应达（{pct}）",
                      "Red dashes: the target; dark line: {by} total {base} 亿元; light blue: where the calendar "
                      "says we should be ({pct})"),
    "ov.gauge_note_nt": ("黑线：{by}年全年{base}亿元", "Dark line: {by} total {base} 亿元"),
    "ov.gauge_note_target": ("红线：全年目标；浅蓝：按时间进度应达（{pct}）",
                             "Red dashes: the target; light blue: where the calendar says we should be ({pct})"),
    "ov.base_mark": ("{by}年全年：{v}亿元", "{by} total: {v} 亿元"),
    "ov.time_mark": ("按时间进度应达：{pct}", "Where the calendar says we should be: {pct}"),
    "ov.target_mark": ("全年目标", "The year's target"),
    "ov.progress": ("目标完成进度：{done} / {target}（{pct}）", "Progress to target: {done} / {target} ({pct})"),
    "ov.n_signed": ("新签约项目", "Projects signed"),
    "ov.start_rate": ("当年动工率", "Same-year start rate"),
    "ov.start_rate_help": ("当年签约且当年动工的项目数 ÷ 当年签约项目数（按动工时间计）",
                           "Projects signed this year that started this year ÷ projects signed this year"),
    "ov.completed": ("完成投资", "Investment completed"),
    "ov.completed_help": ("台账中各项目已完成投资之和（台账按项目累计，不分年度）",
                          "Sum of completed investment recorded in the ledger (cumulative per project)"),
    "ov.ge10": ("10亿元以上项目", "Projects ≥ 10亿元"),
    "ov.base_n": ("{by}年：{n}个", "{by}: {n}"),
    "ov.base_rate": ("{by}年：{r}", "{by}: {r}"),
    "ov.base_yi": ("{by}年：{v}亿元", "{by}: {v} 亿元"),
    "ov.base_source": ("{by}年基数：新签约{n}、计划总投资{v}、当年动工率{r}、完成投资{c}（{source}）。",
                       "{by} baseline: {n} projects signed, {v} planned, {r} same-year start rate, {c} completed "
                       "({source})."),
    "ov.target_source": ("{year}年目标来源：{source}", "Source of the {year} target: {source}"),
    "ov.no_signed": ("项目信息库中尚无{year}年签约项目：请在“项目信息库”录入或导入台账，进度将自动计算。",
                     "No project signed in {year} in the ledger yet: add or import projects on the Project ledger page."),
    "ov.amount_missing": ("{n}个签约项目缺少计划总投资，未计入合计", "{n} signed project(s) have no amount and are not summed"),
    "ov.chains": ("各产业链", "Chains"),
    "ov.card_links": ("{n}个环节：补链{fill}、延链{extend}、强链{weak}", "{n} links: fill {fill}, extend {extend}, strengthen {weak}"),
    "ov.top3": ("重点目标企业", "Top targets"),
    "ov.no_targets": ("暂无可评分的目标企业", "No scorable target yet"),
    "ov.mech": ("八个一机制完备度 {pct}（已落实 {done}/{n}）", "Mechanism completeness {pct} ({done}/{n} in place)"),
    "ov.card_signed": ("本年签约：{n}个，{v}", "Signed this year: {n}, {v}"),
    # chain map
    "map.title": ("{chain}产业链图谱", "{chain}: chain map"),
    "map.view": ("图谱", "Picture"),
    "map.now": ("现状图", "Current"),
    "map.vision": ("远景图", "Target picture"),
    "map.now_note": ("现状图：按上游→中游→下游排列，颜色表示环节状态，方框内为本地企业。",
                     "Current picture: upstream → midstream → downstream, colour = status, local firms in each box."),
    "map.vision_note": ("远景图：在{n}个补链、强链、延链环节上标出首选拟引进企业（紫色虚线框）。",
                        "Target picture: the first-choice firm to attract on {n} fill/strengthen/extend links (purple dashed box)."),
    "map.vision_wait": ("正在为各缺口环节挑选首选目标…", "Picking the first-choice target of each gap…"),
    "map.dot_title": ("{chain}产业链", "{chain} chain"),
    "map.dot_vision": ("（远景图）", " (target picture)"),
    "map.detail": ("环节详情", "Link detail"),
    "map.pick_link": ("选择环节（按紧迫度排序）", "Choose a link (most urgent first)"),
    "map.strength": ("强度", "Strength"),
    "map.severity": ("紧迫度", "Severity"),
    "map.severity_help": ("重要性×需求拉动×枢纽度×(1−强度)；待评估环节不计", "importance × demand pull × centrality × (1 − strength)"),
    "map.stage": ("位置", "Stage"),
    "map.incumbents": ("本地企业", "Local firms"),
    "map.leader": ("链主", "Chain leader"),
    "map.source": ("数据来源", "Source"),
    "map.as_of": ("数据日期：{d}", "As of: {d}"),
    "map.none": ("无", "none"),
    "map.link_targets": ("该环节的目标企业（前5）", "Top 5 targets for this link"),
    "map.no_link_targets": ("该环节暂无可评分的目标企业", "No scorable target for this link"),
    "map.table": ("全部环节一览", "All links"),
    "map.download": ("下载环节缺口表（CSV）", "Download the gap table (CSV)"),
    "map.file": ("{chain}产业链缺口.csv", "{chain}_gaps.csv"),
    # targets
    "tg.title": ("{chain} · 目标企业", "{chain}: target firms"),
    "tg.mode": ("招商类型", "Mode"),
    "tg.strategy": ("策略", "Strategy"),
    "tg.strategy_help": ("稳健：优先补链、强链与本地关联强、易触达的企业；跨越：优先延链与高层级企业；学习：由历史投资事件拟合的权重（由数据管理员学习权重后出现）",
                         "Steady: fill/strengthen, related and reachable firms; Leap: extend links and high-tier firms"),
    "tg.top": ("显示前", "Show top"),
    "tg.min_score": ("最低得分", "Minimum score"),
    "tg.team": ("责任先锋队", "Pioneer team"),
    "tg.region": ("总部区域", "HQ region"),
    "tg.honour": ("荣誉资质", "Honour"),
    "tg.link": ("环节", "Link"),
    "tg.count": ("共{n}家（最多显示前{top}家）。点选一行可查看企业画像。", "{n} firms (top {top} at most). Select a row to open its profile."),
    "tg.empty": ("没有符合条件的企业：请放宽筛选条件。", "No firm matches: loosen the filters."),
    "tg.csv": ("下载CSV", "Download CSV"),
    "tg.xlsx": ("下载招商清单（xlsx）", "Download the 招商清单 (xlsx)"),
    "tg.csv_file": ("{chain}目标企业.csv", "{chain}_targets.csv"),
    "tg.xlsx_file": ("{chain}招商清单.xlsx", "{chain}_targets.xlsx"),
    "tg.tab_list": ("清单", "List"),
    "tg.tab_chart": ("得分构成", "Score breakdown"),
    "tg.chart_note": ("每段为该项得分×权重÷权重合计，条长即综合得分。", "Each segment is value × weight ÷ Σ weights; the bar is the score."),
    "tg.to_firm": ("查看企业画像：{name}", "Open the profile of {name}"),
    "tg.select_hint": ("提示：点选表格左侧的选择框，可跳转到该企业的画像与对接记录。", "Tip: select a row to open the firm's profile."),
    # firm
    "fm.title": ("企业画像", "Firm profile"),
    "fm.search": ("搜索企业（名称、简称或编号）", "Search a firm (name, alias or id)"),
    "fm.search_ph": ("例如：生益、建滔、kingboard", "e.g. 生益, 建滔, kingboard"),
    "fm.pick": ("选择企业（默认列出{chain}前30名目标）", "Firm (the top 30 targets of {chain} by default)"),
    "fm.no_match": ("没有找到“{q}”", "Nothing found for “{q}”"),
    "fm.no_firms": ("企业库为空", "The firm library is empty"),
    "fm.score": ("综合得分", "Score"),
    "src.compiled": ("项目组整理的公开资料", "public sources compiled by the project"),
    "fm.no_score": ("与本链的缺口环节不匹配，不参与排名", "Fits no gap of this chain: not ranked"),
    "fm.other_chains": ("该企业在本链不参与排名；在{chains}有得分，可在侧栏切换产业链查看",
                        "Not ranked on this chain; it scores on {chains}: switch the chain in the sidebar"),
    "fm.no_chain": ("该企业在任何产业链都不参与排名（无已知环节，也无法按行业或主营产品归入）",
                    "Not ranked on any chain (no known link, and no class or products place it)"),
    "fm.mode": ("招商类型", "Mode"),
    "fm.team": ("责任先锋队", "Pioneer team"),
    "fm.local": ("已在{city}投资", "Already in {city}"),
    "fm.expand": ("可增资扩产", "can expand"),
    "fm.no": ("否", "no"),
    "fm.facts": ("基本信息", "Facts"),
    "fm.field": ("项目", "Field"),
    "fm.content": ("内容", "Value"),
    "fm.f_id": ("企业编号", "Id"),
    "fm.f_aliases": ("简称/别名", "Aliases"),
    "fm.f_hq": ("总部", "Headquarters"),
    "fm.f_revenue": ("营业收入", "Revenue"),
    "fm.revenue_v": ("{v}亿元（{y}年）", "{v} 亿元 ({y})"),
    "fm.f_products": ("主营产品", "Products"),
    "fm.f_stock": ("股票代码", "Stock code"),
    "fm.f_verified": ("核实程度", "Verified"),
    "fm.f_notes": ("备注", "Notes"),
    "fm.f_source": ("来源", "Sources"),
    "fm.breakdown": ("得分构成", "Score breakdown"),
    "fm.breakdown_note": ("条长为各项得分×权重（稳健策略）；综合得分为其合计÷权重合计。",
                          "Bars are value × weight (Steady strategy); the score is their sum ÷ Σ weights."),
    "fm.tab_links": ("对应环节与布局", "Links and plants"),
    "fm.tab_honours": ("荣誉与扩张信号", "Honours and signals"),
    "fm.tab_refer": ("以商引商", "Referral paths"),
    "fm.tab_follow": ("对接跟进", "Follow-up"),
    "fm.would_fill": ("可对应的本链机会环节", "Gap links of this chain it fits"),
    "fm.no_links": ("与本链的缺口环节不匹配", "Fits no gap link of this chain"),
    "fm.basis_known": ("已知", "known"),
    "fm.basis_inferred": ("据主营产品推断", "inferred from products"),
    "fm.basis_local": ("本地已有", "already local"),
    "fm.l_mode": ("类型", "Mode"),
    "fm.l_link": ("环节", "Link"),
    "fm.l_status": ("环节状态", "Status"),
    "fm.l_severity": ("紧迫度", "Severity"),
    "fm.l_basis": ("依据", "Basis"),
    "fm.operations": ("已知生产布局", "Known plants"),
    "fm.no_ops": ("暂无已知生产布局", "No known plant"),
    "fm.o_link": ("环节", "Link"),
    "fm.o_local": ("在{city}", "In {city}"),
    "fm.o_entity": ("主体", "Entity"),
    "fm.o_location": ("地点", "Location"),
    "fm.o_output": ("产值（亿元）", "Output (亿元)"),
    "fm.o_leader": ("链主", "Leader"),
    "fm.o_since": ("起始", "Since"),
    "fm.o_source": ("来源", "Source"),
    "fm.open_source": ("查看来源", "open"),
    "fm.honours": ("荣誉资质", "Honours"),
    "fm.no_honours": ("暂无收录的荣誉（未收录不代表没有）", "No honour recorded (absence is not evidence)"),
    "fm.h_list": ("榜单", "List"),
    "fm.h_year": ("年份", "Year"),
    "fm.h_detail": ("说明", "Detail"),
    "fm.h_source": ("来源", "Source"),
    "fm.signals": ("扩张信号", "Expansion signals"),
    "fm.no_signals": ("暂无扩张信号", "No signal recorded"),
    "fm.s_date": ("日期", "Date"),
    "fm.s_detail": ("内容", "Detail"),
    "fm.s_amount": ("金额（亿元）", "Amount (亿元)"),
    "fm.s_place": ("地点", "Place"),
    "fm.s_source": ("来源", "Source"),
    "fm.channels": ("可用渠道", "Channels"),
    "fm.referrals": ("以商引商路径（本地企业 → 目标企业）", "Referral paths (local firm → target)"),
    "fm.no_referrals": ("暂无已知的供应或股权关系", "No known supply or group relation"),
    "fm.fu_note": ("{chain}链的对接记录。保存时会检查是否有人已先修改。", "Follow-up for {chain}. Saving checks that nobody changed it first."),
    "fu.status": ("对接状态", "Status"),
    "fu.person": ("责任人", "Person in charge"),
    "fu.team": ("责任先锋队", "Pioneer team"),
    "fu.date": ("最近对接日期", "Last contact"),
    "fu.notes": ("备注（投资意向、产品、规模、用地等）", "Notes (intention, product, scale, land…)"),
    "fu.save": ("保存对接记录", "Save follow-up"),
    "fu.last": ("最近保存：{by}，{at}", "Last saved by {by} at {at}"),
    # mechanism
    "mc.title": ("八个一 · 产业链招商机制", "八个一: the chain mechanism"),
    "mc.caption": ("派生事项（图谱、目标清单、项目库、链主）由系统按数据实时计算；其余为手工填报。",
                   "Derived slots (map, target list, ledger, chain leader) are computed from the data; the others are filled in."),
    "mc.axis": ("机制完备度（%）", "Completeness (%)"),
    "mc.completeness": ("机制完备度", "Completeness"),
    "mc.completeness_help": ("各事项得分的平均值（每项0–1，见页面底部的计分说明）", "Mean of the slot scores (0–1 each; see the definition below)"),
    "mc.done": ("已落实事项", "Slots in place"),
    "mc.export": ("导出八个一汇总表（xlsx）", "Export the mechanism workbook (xlsx)"),
    "mc.file": ("八个一机制汇总_{d}.xlsx", "mechanism_{d}.xlsx"),
    "mc.slots": ("{chain} · 八个一事项", "{chain}: slots"),
    "mc.no_slots": ("该产业链尚未配置八个一事项", "This chain has no mechanism slot yet"),
    "mc.c_slot": ("序号", "Slot"),
    "mc.c_name": ("事项", "Item"),
    "mc.c_kind": ("类型", "Kind"),
    "mc.c_status": ("状态", "Status"),
    "mc.c_score": ("得分", "Score"),
    "mc.c_owner": ("责任单位/人", "Owner"),
    "mc.c_evidence": ("进展与佐证", "Evidence"),
    "mc.c_date": ("更新日期", "Updated"),
    "mc.c_metric": ("计分方法", "How scored"),
    "mc.kind_derived": ("系统派生", "derived"),
    "mc.kind_manual": ("手工填报", "manual"),
    "mc.edit": ("填报手工事项", "Edit manual slots"),
    "mc.edit_note": ("保存时会检查是否有人已先修改；如有冲突，本次不会覆盖对方内容。",
                     "Saving checks that nobody changed the slot first; a conflict never overwrites their change."),
    "mc.owner": ("责任单位/人", "Owner"),
    "mc.owner_ph": ("例如：市工业和信息化局 / 张三", "e.g. 市工业和信息化局 / 张三"),
    "mc.status": ("状态", "Status"),
    "mc.date": ("更新日期", "Date"),
    "mc.evidence": ("进展与佐证（文件名、文号、链接）", "Evidence (document, reference, link)"),
    "mc.evidence_ph": ("例如：清府办〔2026〕X号；已成立工作专班", "e.g. the document that appointed the task force"),
    "mc.save": ("保存", "Save"),
    "mc.def_title": ("机制完备度如何计算", "How completeness is computed"),
    "mc.definition": (
        "**机制完备度** = 本链各事项得分的平均值（每项0–1，各项等权）。\n\n"
        "- **手工事项**（链长、牵头部门与专班、支持政策、产业基金）：已落实=1，推进中=0.5，未启动=0；"
        "标为已落实但未填佐证的，按0.5计。\n"
        "- **③ 一张产业链图谱**：覆盖率×新鲜度。覆盖率=已摸排或已有本地企业的环节占比；"
        "最近一次摸排在一年内新鲜度为1，否则为0.5。\n"
        "- **④ 一份目标企业清单**：有得分>0的目标企业记0.5，另加0.5×已对接进度"
        "（已联系及以后的目标数÷min(10, 目标数)）。\n"
        "- **⑤ 一个项目信息库**：有本链项目记0.5，另加0.5×要素齐全率"
        "（投资方、环节、计划总投资、责任单位、线索来源单位，签约后加签约时间、所在县区，动工后加动工时间）。\n"
        "- **⑧ 一家链主企业/产业联盟**：缺口分析中有本地链主记1，否则0。\n\n"
        "派生事项状态：得分0为未启动，≥0.8为已落实，其余为推进中。",
        "**Completeness** = the mean of the chain's slot scores (each 0–1, equal weights).\n\n"
        "- **Manual slots**: in place 1, in progress 0.5, not started 0; in place without evidence counts 0.5.\n"
        "- **3 chain map**: coverage × freshness (share of links surveyed or with a local firm; freshness 1 if the "
        "latest survey is within a year, else 0.5).\n"
        "- **4 target list**: 0.5 for a list of targets with score > 0, plus 0.5 × contacted ÷ min(10, targets).\n"
        "- **5 project ledger**: 0.5 for having the chain's projects, plus 0.5 × the share of needed fields filled.\n"
        "- **8 chain leader**: 1 when the gap analysis finds a local chain leader.\n\n"
        "Derived status: 0 not started, ≥ 0.8 in place, otherwise in progress."),
    # projects
    "pj.title": ("项目信息库", "Project ledger"),
    "pj.caption": ("按统计口径计算签约额与当年动工率；承载地（县区、园区）与线索来源单位分列，便于项目流转利益共享。",
                   "Signings and start rate by the counting rules; host (county, park) kept apart from the unit that found "
                   "the lead, for benefit sharing."),
    "pj.signed_yi": ("新签约计划总投资", "Signed planned investment"),
    "pj.of_target": ("目标{t}亿元的{pct}", "{pct} of the {t} 亿元 target"),
    "pj.start_missing": ("{n}个已动工项目缺少动工时间，未计入当年动工率", "{n} started project(s) have no start date"),
    "pj.rules_title": ("统计口径", "Counting rules"),
    "pj.rules": (
        "- 每行为一次签约：首次签约、投资方变更计全额；增资扩产、项目升级只计新增部分（计划总投资填新增额）。\n"
        "- **当年签约**：签约时间在当年且阶段为签约及以后。\n"
        "- **当年动工率** = 当年签约且动工时间在当年的项目数 ÷ 当年签约项目数。\n"
        "- **完成投资**：各项目已完成投资之和。\n"
        "- 空白表示未知，不按0处理；缺金额的签约项目会单独提示。",
        "- One row is one signing: first signings and changes of investor count in full; expansions and upgrades "
        "count only the increase.\n- **Signed this year**: signing date this year and stage 签约 or later.\n"
        "- **Start rate** = signed this year and started this year ÷ signed this year.\n"
        "- **Completed**: sum of completed investment.\n- Blank means unknown, never zero."),
    "pj.by_stage": ("各阶段项目数与计划总投资", "Projects per stage"),
    "pj.by_chain": ("{year}年各产业链签约额", "{year} signings per chain"),
    "pj.count": ("项目数", "projects"),
    "pj.amount": ("计划总投资", "planned"),
    "pj.amount_axis": ("计划总投资（亿元）", "Planned investment (亿元)"),
    "pj.ledger": ("项目台账", "Ledger"),
    "pj.f_chain": ("产业链", "Chain"),
    "pj.f_stage": ("阶段", "Stage"),
    "pj.f_search": ("搜索项目或投资方", "Search project or investor"),
    "pj.f_search_ph": ("例如：铜箔", "e.g. 铜箔"),
    "pj.issues": ("待补要素", "Missing"),
    "pj.count_rows": ("显示{n}个项目（共{total}个）", "{n} of {total} projects"),
    "pj.export": ("导出台账（xlsx）", "Export ledger (xlsx)"),
    "pj.export_file": ("项目信息库_{d}.xlsx", "project_ledger_{d}.xlsx"),
    "pj.sheet": ("项目台账", "Ledger"),
    "pj.template": ("下载导入模板", "Import template"),
    "pj.template_file": ("项目信息库导入模板.xlsx", "project_import_template.xlsx"),
    "pj.events": ("签约事件（评估用）", "Signing events"),
    "pj.events_help": ("已签约项目按日期列出：企业、日期、产业链、环节、金额、来源，用于检验目标企业排名。",
                       "Signed projects as dated events, for evaluating the target ranking."),
    "pj.tab_edit": ("新增 / 编辑项目", "Add / edit"),
    "pj.tab_advance": ("推进阶段", "Advance stage"),
    "pj.tab_import": ("批量导入", "Import"),
    "pj.pick": ("选择项目", "Project"),
    "pj.new": ("（新增项目）", "(new project)"),
    "fm.yes": ("是", "yes"),
    "pj.host_lead": ("承载地与线索来源（项目流转利益共享）", "Host and lead source (benefit sharing)"),
    "pj.investor_help": ("与企业库名称一致时自动关联企业编号", "Linked to the firm library when the name matches"),
    "pj.kind_help": ("增资扩产、项目升级只填新增投资额", "For expansions and upgrades enter only the increase"),
    "pj.lead_help": ("发现并引荐该项目的单位，可与承载县区不同", "The unit that found the lead; may differ from the host"),
    "pj.blank_unknown": ("未知可留空", "blank if unknown"),
    "pj.save": ("保存项目", "Save project"),
    "pj.id_taken": ("项目编号 {id} 已存在，请换一个编号或在上方选择该项目进行编辑。", "Project id {id} exists already."),
    "pj.form_file": ("表单", "form"),
    "pj.none_open": ("所有项目均已达产", "Every project is at full output"),
    "pj.pick_advance": ("选择要推进的项目", "Project to advance"),
    "pj.advance": ("推进到下一阶段：{stage}", "Advance to: {stage}"),
    "pj.advance_dates": ("推进到签约或动工时，如日期为空将自动填入今天。", "Reaching 签约 or 动工 fills a blank date with today."),
    "pj.import_help": ("支持 xlsx、xls（Excel/WPS，含 .et）和 CSV/TSV（UTF-8 或 GBK，逗号、分号或制表符分隔）。表头可用中文，如 项目名称、投资方、产业链、环节、"
                       "计划总投资（亿元）、阶段、签约时间、所在县区、园区、责任单位、线索来源单位。"
                       "**先预览和检查，全部无误后才会保存；有任何一行出错都不会保存。**",
                       "xlsx, xls (Excel/WPS, .et too) or CSV/TSV (UTF-8 or GBK; comma, semicolon or tab), Chinese or English headers. **Previewed and checked "
                       "first; nothing is saved if any row is bad.**"),
    "pj.upload": ("选择台账文件", "Ledger file"),
    "pj.import_bad": ("《{file}》有{n}处问题，请在原表中修改后重新上传：", "{file}: {n} problem(s); fix them and upload again:"),
    "pj.nothing_saved": ("未保存任何数据。", "Nothing was saved."),
    "pj.import_ok": ("检查通过：{n}个项目（新增{new}个，更新{upd}个），编码 {enc}。请核对预览后确认导入。",
                     "Checked: {n} projects ({new} new, {upd} updated), encoding {enc}. Review, then confirm."),
    "pj.import_go": ("确认导入 {n} 个项目", "Import {n} projects"),
    "pj.import_review": ("{n} 行的投资方无法确定，未导入：请在原表中写明投资方全称或统一社会信用代码后重新上传。",
                         "{n} row(s) name an investor that could not be decided and are not imported: write its "
                         "full name or credit code and upload again."),
    "pj.import_report": ("导入报告：工作表、表头、单位、跳过的行", "Import report: sheet, header, units, rows left out"),
    "pj.r.row": ("行", "row"), "pj.r.name": ("项目名称", "name"), "pj.r.action": ("处理", "action"),
    "pj.r.firm_id": ("投资方编号", "investor id"), "pj.r.reason": ("说明", "reason"), "pj.r.layout": ("版式", "layout"),
}

# The import page (chainmap/app/imports.py): firms, honours, relations, contacts, projects and events from files.
TEXT.update({
    "nav.imports": ("数据导入", "Import"),
    "im.title": ("数据导入", "Import data"),
    "im.help": ("上传交易所股票列表（深交所、上交所、北交所）、企查查/天眼查等企业库导出、单项冠军/专精特新“小巨人”名单、"
                "世界500强/中国企业500强名单，或项目台账、投资事件表。支持 xlsx、xls、WPS et、CSV/TSV。先预览导入报告，"
                "确认后再保存；与命令行 chainmap import 使用同一套导入流程。",
                "Upload an exchange's stock list (SZSE, SSE, BSE), a company-database export, a MIIT 单项冠军 or "
                "小巨人 list, a Fortune Global 500 or 中国企业500强 list, a project ledger or an events table "
                "(xlsx, xls, WPS et, CSV/TSV). The report is a preview; nothing is saved until you confirm. The same "
                "pipeline as `chainmap import`."),
    "im.kind": ("导入内容", "What the file holds"),
    "im.kind.firms": ("企业（名单、企业库导出、交易所列表、500强）", "Firms (lists, database exports, exchange lists, 500 lists)"),
    "im.kind.honours": ("荣誉（单项冠军、小巨人、500强）", "Honours (单项冠军, 小巨人, 500 lists)"),
    "im.kind.relations": ("企业关系", "Relations between firms"),
    "im.kind.contacts": ("走访记录", "Contacts"),
    "im.kind.projects": ("项目台账", "Project ledger"),
    "im.kind.events": ("投资事件", "Investment events"),
    "im.upload": ("选择文件", "File"),
    "im.accept_valid": ("有问题的行不导入，其余照常导入", "Import the good rows; leave out the bad ones"),
    "im.bad": ("《{file}》有{n}处问题，未保存：", "{file}: {n} problem(s); nothing saved:"),
    "im.rejected": ("以下{n}行有问题，不会导入：", "{n} row(s) with problems will not be imported:"),
    "im.head": ("《{file}》（{where}）：{counts}", "{file} ({where}): {counts}"),
    "im.source": ("识别为：{src}", "Recognised as: {src}"),
    "im.flagged": ("{n} 家企业为注销/吊销/退市状态：保留并标记，默认不参与排名", "{n} firm(s) are inactive (注销/吊销/退市): kept, "
                   "flagged, left out of rankings"),
    "im.review": ("{n} 行无法确定是哪家企业，未导入：请核对候选企业后在原表中写明全称或统一社会信用代码。",
                  "{n} row(s) could not be matched to one firm and are not imported: check the candidates, write the "
                  "full name or credit code and upload again."),
    "im.report": ("导入报告：工作表、表头、单位、跳过的行", "Import report: sheet, header, units, rows left out"),
    "im.rows": ("逐行处理结果", "Row by row"),
    "im.go": ("确认导入（保存 {n} 条记录）", "Import ({n} records)"),
    "im.nothing": ("文件与现有数据一致，无需保存。", "The file holds nothing new: nothing to save."),
    "im.saved": ("已保存 {n} 条记录（变更集 {cs}）", "Saved {n} records (change set {cs})"),
    "im.conflict": ("保存前有人修改了同一批记录：未保存。请重新上传文件以按最新数据生成报告。",
                    "Someone changed the same records since this file was read: nothing saved. Upload it again."),
    "im.events_head": ("《{file}》：事件 {events} 条，企业匹配 {firm}，环节匹配 {link}；新增 {new} 条",
                       "{file}: {events} events, firm matched {firm}, link matched {link}; {new} new"),
    "im.r.row": ("行", "row"), "im.r.name": ("名称", "name"), "im.r.action": ("处理", "action"),
    "im.r.firm_id": ("企业编号", "firm id"), "im.r.reason": ("说明", "reason"), "im.r.layout": ("版式", "layout"),
    "im.a.added": ("新增", "added"), "im.a.updated": ("更新", "updated"), "im.a.merged": ("合并", "merged"),
    "im.a.unchanged": ("未变", "unchanged"), "im.a.rejected": ("拒绝", "rejected"), "im.a.review": ("待核", "review"),
})

for _s in ProjectStage:
    TEXT[f"stage.{_s.value}"] = (_s.value, _STAGE_EN[_s.value])
for _c, _zh in HEADERS_ZH["projects"].items():
    TEXT[f"pj.h.{_c}"] = (_zh, _PROJECT_EN[_c])
for _k, _col in _TT.items():
    TEXT[f"tt.{_k}"] = (TARGET_HEADERS[_col], EN_TARGET_HEADERS[_col])


def tr(key: str, lang: str = "zh", **kw) -> str:
    """The string ``key`` in ``lang`` (``zh`` or ``en``), with ``{placeholders}`` filled.

    Examples
    --------
    >>> tr("nav.targets"), tr("nav.targets", "en")
    ('目标企业', 'Target firms')
    >>> tr("unit.yi", v="12.5")
    '12.5亿元'
    """
    zh, en = TEXT[key]
    s = en if lang == "en" else zh
    return s.format(**kw) if kw else s
