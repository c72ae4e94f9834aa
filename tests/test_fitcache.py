"""The on-disk cache of fitted scorers: a command on unchanged data never retrains."""
import pickle

import pytest

from chainmap import fitcache
from chainmap.cli import main
from chainmap.scoring import ScoringParams, TargetScorer


def test_a_second_fit_of_the_same_tables_is_read_back_not_retrained(bundled, tmp_path, monkeypatch):
    first, hit = fitcache.cached_fit(bundled, cache_dir=tmp_path)
    assert not hit and len(list(tmp_path.glob("scorer-*.pkl"))) == 1
    monkeypatch.setattr(TargetScorer, "fit", lambda self, t: pytest.fail("retrained on unchanged data"))
    again, hit = fitcache.cached_fit(bundled, cache_dir=tmp_path)
    assert hit and again.classifier_ is None  # placements kept, the classifier itself left out
    a, b = first.rank("electronics", top=30), again.rank("electronics", top=30)
    assert a[["firm_id", "score", "reason_parts"]].equals(b[["firm_id", "score", "reason_parts"]])


def test_other_data_or_parameters_miss_the_cache(bundled, tmp_path):
    fitcache.cached_fit(bundled, cache_dir=tmp_path)
    _, hit = fitcache.cached_fit(bundled, ScoringParams(half_life_years=3.0), cache_dir=tmp_path)
    assert not hit
    fewer = bundled.replace(firms=bundled.firms.iloc[:-1])
    assert fitcache.tables_digest(fewer) != fitcache.tables_digest(bundled)


def test_a_corrupt_or_foreign_entry_is_ignored_and_rebuilt(bundled, tmp_path):
    key = fitcache.fit_key(fitcache.tables_digest(bundled), ScoringParams(), "classifier")
    path = tmp_path / f"scorer-{key[:40]}.pkl"
    path.write_bytes(b"not a pickle")
    scorer, hit = fitcache.cached_fit(bundled, cache_dir=tmp_path)
    assert not hit and isinstance(scorer, TargetScorer)
    path.write_bytes(pickle.dumps({"version": fitcache.CACHE_VERSION + 1, "key": key, "scorer": None}))
    assert fitcache.load(tmp_path, key) is None
    assert fitcache.cached_fit(bundled, cache_dir=tmp_path)[1] is False  # rebuilt over the stale entry
    assert fitcache.cached_fit(bundled, cache_dir=tmp_path)[1] is True


def test_the_cli_reuses_the_fit_until_a_workspace_file_changes(workspace_copy, tmp_path, monkeypatch, capsys):
    cache = tmp_path / "cache"
    monkeypatch.setenv("CHAINMAP_CACHE_DIR", str(cache))
    args = ["rank", "--chain", "ebike", "--top", "5", "--format", "json", "--workspace", str(workspace_copy)]
    assert main(args) == 0
    cold = capsys.readouterr().out
    fits = []
    real_fit = TargetScorer.fit
    monkeypatch.setattr(TargetScorer, "fit", lambda self, t: fits.append(1) or real_fit(self, t))
    assert main(args) == 0 and capsys.readouterr().out == cold and fits == []
    signals = workspace_copy / "seeds" / "signals.csv"
    signals.write_text(signals.read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)[0] + "\n", encoding="utf-8")
    assert main(args) == 0 and fits == [1]  # one row fewer: fitted again
    assert main(args + ["--no-cache"]) == 0 and fits == [1, 1]
    assert len(list(cache.glob("scorer-*.pkl"))) == 2


def test_a_backtest_run_again_reads_every_snapshots_fit_and_says_the_same(bundled, tmp_path, monkeypatch):
    from chainmap.learn.backtest import backtest

    refit = lambda s, t: fitcache.refit(s, t, cache_dir=tmp_path)  # noqa: E731
    plain = backtest(bundled, n_boot=0, signals=True)
    first = backtest(bundled, n_boot=0, signals=True, fit=refit)
    n_folds = len(plain.folds)
    assert len(list(tmp_path.glob("scorer-*.pkl"))) >= n_folds > 1, "a fit per yearly snapshot, every one kept"
    monkeypatch.setattr(TargetScorer, "fit", lambda self, t: pytest.fail("a snapshot fitted again"))
    again = backtest(bundled, n_boot=0, signals=True, fit=refit)   # read back: no classifier, same placements
    for bt in (first, again):
        assert bt.ranks.equals(plain.ranks) and bt.metrics.equals(plain.metrics)
        assert bt.signal_weights == plain.signal_weights


@pytest.mark.parametrize("command", ["backtest", "learn"])
def test_backtest_and_learn_fit_every_snapshot_afresh_with_no_cache(command, monkeypatch):
    """As ``rank --no-cache`` does for today's fit: the snapshots' fits go through the cache
    (``fitcache.refit``, tested above), or with ``--no-cache`` are fitted as the backtest does alone (recorded,
    not run)."""
    import chainmap.learn.backtest

    class Recorded(Exception):
        pass

    fits = []

    def record(*args, fit=None, **kwargs):
        fits.append(fit)
        raise Recorded

    monkeypatch.setattr(chainmap.learn.backtest, "backtest", record)
    for extra in ([], ["--no-cache"]):
        with pytest.raises(Recorded):
            main([command, "--boot", "0", *extra])
    assert fits == [fitcache.refit, None]


def test_the_cache_folder_keeps_the_last_used_fits_within_its_bytes(bundled, tmp_path, monkeypatch):
    """A national library's fit is tens of MB: beyond the folder's budget the entries least recently written or
    read go, never the one just written."""
    scorer, _ = fitcache.cached_fit(bundled, cache_dir=tmp_path)
    size = next(tmp_path.glob("scorer-*.pkl")).stat().st_size
    monkeypatch.setattr(fitcache, "_BUDGET", int(2.5 * size))
    paths = [fitcache.save(tmp_path, f"{i:040d}", scorer) for i in range(1, 5)]
    assert sorted(tmp_path.glob("scorer-*.pkl")) == sorted(paths[-2:])
    assert fitcache.load(tmp_path, f"{3:040d}") is not None   # read: now the last used
    paths.append(fitcache.save(tmp_path, f"{5:040d}", scorer))
    assert sorted(tmp_path.glob("scorer-*.pkl")) == sorted([paths[2], paths[4]]), "the entry read was kept"
    monkeypatch.setattr(fitcache, "_BUDGET", size // 2)
    newest = fitcache.save(tmp_path, "5" * 40, scorer)
    assert list(tmp_path.glob("scorer-*.pkl")) == [newest], "the entry just written is kept, even over the budget"
