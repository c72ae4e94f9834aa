"""Real processes against one workspace database: killed mid-write, and racing each other.

Each test starts real ``python`` processes running chainmap's own command line
and kills or races them; afterwards the workspace must open, every table must
validate, the audit trail must match the data, and nothing temporary may be
left behind. Counts and times are bounded (20 kills, 5 rounds of 4 imports).
"""
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from chainmap.io import bundled_workspace, validate_tables
from chainmap.location import load_folder
from chainmap.store.changes import trail_problems
from chainmap.store.sqlite import DB_NAME
from tests.conftest import saved

pytestmark = pytest.mark.slow

ROOT = bundled_workspace()
CITIES = ["苏州", "东莞", "惠州", "常州", "宁波", "合肥", "天津", "佛山"]
CHARS = "华创瑞达恒通鼎盛佳利宏远新锐联合精工昌泰浩宇明辉星海嘉禾立信永安富康博威金鹏天成广源兴隆德润"
LINKS = ["覆铜板", "电子铜箔", "印制电路板", "锂电池", "电机", "铝型材", "电子级玻纤纱"]


def firms_csv(path: Path, tag: str, n: int, rng: random.Random) -> Path:
    """An officer's firm list: Chinese headers, real-looking names, each firm on one link."""
    lines = ["企业名称,总部城市,所属环节,营业收入（亿元）,信息来源"]
    for i in range(n):
        city = rng.choice(CITIES)
        word = "".join(rng.sample(CHARS, 3))   # distinct names: the importer's fuzzy matcher must not merge them
        lines.append(f"{city}{word}{tag}{i:02d}电子科技有限公司,{city},{rng.choice(LINKS)},"
                     f"{rng.uniform(1, 80):.1f},招商局摸排 2026-11")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def env() -> dict:
    return dict(os.environ, PYTHONPATH=str(ROOT))


def check_workspace(ws: Path) -> None:
    """Opens, validates, the trail matches the data, no temporary file left."""
    t = saved(ws)
    validate_tables(t)
    assert trail_problems(t) == []
    leftovers = [p.name for p in ws.rglob("*") if p.is_file() and p.name != DB_NAME and p.suffix != ".toml"]
    assert leftovers == [], leftovers


WORKER = r"""
import random, re, sys, io, contextlib
from pathlib import Path
from chainmap.cli import main
ws, files = sys.argv[1], sys.argv[2:]
rng = random.Random(len(files))
done = []
print("ready", flush=True)
while True:
    for f in files:
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.TextIOWrapper(io.BytesIO())):
            main(["import", "firms", f, "--workspace", ws, "--accept-valid", "--author", "压测"])
        m = re.search(r"变更集 (\w+)", err.getvalue())
        if m:
            done.append(m.group(1))
            print("landed", flush=True)
        if done and rng.random() < 0.5:
            with contextlib.redirect_stderr(io.StringIO()):
                main(["undo", done.pop(rng.randrange(len(done))), "--workspace", ws, "--author", "压测"])
"""


def test_killed_at_20_random_moments_the_workspace_stays_whole(tmp_path):
    ws = tmp_path / "ws"
    load_folder(ROOT, ws).close()
    rng = random.Random(20261130)
    files = [str(firms_csv(tmp_path / f"f{i}.csv", f"K{i}", 40, rng)) for i in range(6)]
    # Kill moments scale with how long one import takes on this machine (a loaded CI box is several times slower
    # than a quiet one): the first round lets one import land and kills during the next; the others kill at random
    # moments up to about two imports in.
    one_import = None
    for _ in range(20):
        p = subprocess.Popen([sys.executable, "-c", WORKER, str(ws), *files], stdout=subprocess.PIPE, env=env(),
                             text=True)
        assert p.stdout.readline().strip() == "ready"
        if one_import is None:
            t0 = time.monotonic()
            assert p.stdout.readline().strip() == "landed"
            one_import = time.monotonic() - t0
            time.sleep(rng.uniform(0.0, one_import))
        else:
            time.sleep(rng.uniform(0.0, 2 * one_import))
        p.send_signal(signal.SIGKILL)
        p.wait()
        check_workspace(ws)
    assert saved(ws).changes["change_set"].nunique() > 0, "an import landed before a kill"


def _import(ws: Path, file: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "chainmap.cli", "import", "firms", str(file), "--workspace",
                             str(ws), "--accept-valid", "--author", file.stem], env=env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def test_four_processes_importing_at_once_lose_nothing(tmp_path):
    ws = tmp_path / "ws"
    load_folder(ROOT, ws).close()
    rng = random.Random(4)
    landed = set()
    for r in range(5):
        files = [firms_csv(tmp_path / f"r{r}p{i}.csv", f"R{r}P{i}", 25, rng) for i in range(4)]
        procs = [_import(ws, f) for f in files]
        for f, p in zip(files, procs):
            err = p.communicate()[1]
            m = re.search(r"变更集 (\w+)", err)
            if p.returncode == 0 and m:
                landed.add(m.group(1))
            else:   # a refused import says why, naming the record, and changed nothing
                assert p.returncode == 2 and "reload" in err, err
    t = saved(ws)
    assert set(t.changes["change_set"]) == landed, "history lists exactly the imports that landed"
    added = t.changes[(t.changes["table"] == "firms") & (t.changes["op"] == "add")]
    assert added["change_set"].nunique() == 20 and len(added) > 20 * 15, "the imports added their new firms"
    assert set(added["key"].map(lambda k: json.loads(k)[0])) <= set(t.firms["id"]), "and every one is there"
    assert len(landed) == 20, "different files touch different records: all land"
    check_workspace(ws)


def test_two_undos_of_one_change_set_at_once_exactly_one_succeeds(tmp_path):
    ws = tmp_path / "ws"
    load_folder(ROOT, ws).close()
    f = firms_csv(tmp_path / "one.csv", "U", 30, random.Random(2))
    r = subprocess.run([sys.executable, "-m", "chainmap.cli", "import", "firms", str(f), "--workspace", str(ws),
                        "--accept-valid"], env=env(), capture_output=True, text=True)
    cs = re.search(r"变更集 (\w+)", r.stderr).group(1)
    procs = [subprocess.Popen([sys.executable, "-m", "chainmap.cli", "undo", cs, "--workspace", str(ws)], env=env(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(), p.stderr.read()) for p in procs]
    assert sorted(code for code, _ in results) == [0, 2], results
    assert any("already undone" in err for code, err in results if code == 2), results
    t = saved(ws)
    assert (t.changes["action"] == f"undo {cs}").sum() == (t.changes["change_set"] == cs).sum() > 30
    check_workspace(ws)

