"""The overview's backtest panel and the learned strategy in the target list (AppTest)."""
from __future__ import annotations

from tests.test_app import read_only_workspace, start, texts, workspace  # noqa: F401 (fixtures)


def test_overview_shows_saved_backtest_figures_for_each_strategy_and_both_baselines(read_only_workspace):
    at = start()
    assert any("模型回测" in s.value for s in at.subheader)
    frames = [d.value for d in at.dataframe]
    figures = next(df for df in frames if "AUC-PR" in df.columns)
    methods = set(figures["方法"])
    assert {"策略·稳健（默认）", "策略·跨越", "学习权重", "基准：最大企业优先", "基准：仅看关联度"} <= methods
    assert any("学习权重时保存的回测结果" in m for m in texts(at, "markdown"))
    assert not any("chainmap " in m for m in texts(at, "markdown")), "no command lines on an officer's screen"


def test_rerunning_the_backtest_shows_live_figures_with_progress(read_only_workspace):
    at = start()
    at.button(key="bt_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("按当前数据回测的结果" in m for m in texts(at, "markdown"))
    frames = [d.value for d in at.dataframe if "AUC-PR" in d.value.columns]
    # one table per chain and one for all chains, each with every method and the three baselines, no column cut
    assert len(frames) == 4
    for figures in frames:
        assert {"策略·稳健（默认）", "学习权重＋投资信号", "基准：近两年有投资的企业优先", "基准：最大企业优先",
                "基准：仅看关联度"} <= set(figures["方法"])
        assert {"AUC-PR", "P@20", "MRR", "覆盖率"} <= set(figures.columns)
        assert figures["投资事件数"].gt(0).all()
    words = texts(at, "markdown")
    assert sum(("默认策略" in m and "基准" in m) for m in words) == 4  # one plain-words verdict per tab
    assert any("区间" in c.value and "覆盖率" in c.value for c in at.caption)
    assert not any("chainmap " in m for m in words), "no command lines on an officer's screen"


def test_learned_strategy_is_offered_but_never_the_default(read_only_workspace):
    at = start("targets")
    control = next(w for w in at.get("button_group") if w.key == "tg_strategy")
    assert control.options == ["稳健", "跨越", "学习"] and control.value == "稳健"
    steady = at.dataframe[0].value.iloc[:, 1].tolist()
    control.set_value("learned").run()
    assert not at.exception, [e.value for e in at.exception]
    learned = at.dataframe[0].value.iloc[:, 1].tolist()
    assert learned and learned != steady  # a different weighting gives a different list


def test_with_no_events_the_rerun_says_why_in_the_sessions_language(workspace):
    """The reason is cached once (a code and its values) and said in each session's language, not English."""
    from chainmap.store import Edit
    from chainmap.store.sqlite import DB_NAME, SqliteStore

    store = SqliteStore(workspace / DB_NAME)
    try:
        t = store.tables()
        store.write({"events": Edit(delete=t.events[["id"]]), "projects": Edit(delete=t.projects[["id"]])},
                    author="test", action="clear events")
    finally:
        store.close()
    for lang, words in (("zh", "没有任何投资事件"), ("en", "there are no events at all")):
        at = start()
        if lang == "en":
            at.query_params["lang"] = "en"
            at.run()
        at.button(key="bt_run").click().run()
        assert not at.exception, [e.value for e in at.exception]
        warned = [w.value for w in at.warning]
        assert any(words in w for w in warned), (lang, warned)
