"""Real processes against one workspace database: killed mid-write, and racing each other.

Each test runs chainmap's own command line (``chainmap.cli.main``) in real
processes and kills or races them; afterwards the workspace must open, every
table must validate, the audit trail must match the data, and nothing temporary
may be left behind. Counts and times are bounded (20 kills, 5 rounds of 4
imports).

The processes are forked from one parent that has already imported chainmap
(the module's ``zygote``, as a pre-forking server does), so a test pays the
interpreter's start-up once instead of once per process; each child is still a
process of its own, with its own SQLite connection, killed by a real SIGKILL or
racing the others for the database's lock, and its exit status is reported.
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
    # One BLAS thread: the children are forked, and a forked child needs no thread pool of its own.
    return dict(os.environ, PYTHONPATH=str(ROOT), OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")


def check_workspace(ws: Path) -> None:
    """Opens, validates, the trail matches the data, no temporary file left."""
    t = saved(ws)
    validate_tables(t)
    assert trail_problems(t) == []
    leftovers = [p.name for p in ws.rglob("*") if p.is_file() and p.name != DB_NAME and p.suffix != ".toml"]
    assert leftovers == [], leftovers


# The parent process. It reads one job list per line on stdin, forks one child per job, waits for them all and
# prints "exit [status, ...]" (an exit code, or minus the signal that killed the child). A job is either a
# command line ({"argv": [...], "err": file}: the child runs chainmap's main with its stderr in that file and exits
# with main's code) or the kill test's worker ({"worker": [ws, files, seed]}), which reports its own progress on
# stdout: "ready PID", then "writing import" / "writing undo" before each command and "landed" (a change set
# saved), "unchanged" or "undone" after it.
ZYGOTE = r"""
import contextlib, io, json, os, random, re, sys
from chainmap.cli import main
import chainmap.io.importers, chainmap.io.matching, chainmap.store.sqlite   # what `import` loads on first use


# Load here, once, what a child's first command would load for itself (~0.2 s of each child's CPU): pandera
# and every table's schema, the validator's path for a bad row, and the modules `import` and `undo` import on
# first use. The children stay processes of their own; they only start warm.
def warm_up():
    import pandas as pd
    from chainmap.io import InputError
    from chainmap.io.schemas import SPECS
    from chainmap.io.tables import validate_table
    for spec in SPECS.values():
        spec.schema
    try:
        validate_table(pd.DataFrame({"id": ["Bad Id"], "name_zh": ["链"], "name_en": [""], "source": [""]}).astype("str"),
                       SPECS["chains"])
    except InputError:
        pass
    import chainmap.location, chainmap.io.city, chainmap.io.events, charset_normalizer, getpass, tabulate, scipy.sparse


warm_up()


def worker(ws, files, seed):
    rng = random.Random(seed)
    done = []
    print(f"ready {os.getpid()}", flush=True)
    while True:
        for f in files:
            print("writing import", flush=True)
            err = io.StringIO()
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.TextIOWrapper(io.BytesIO())):
                main(["import", "firms", f, "--workspace", ws, "--accept-valid", "--author", "压测"])
            m = re.search(r"变更集 (\w+)", err.getvalue())
            if m:
                done.append(m.group(1))
            print("landed" if m else "unchanged", flush=True)
            if done and rng.random() < 0.5:
                print("writing undo", flush=True)
                out = io.TextIOWrapper(io.BytesIO())
                with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(out):
                    main(["undo", done.pop(rng.randrange(len(done))), "--workspace", ws, "--author", "压测"])
                print("undone", flush=True)


def child(job):
    if "worker" in job:
        worker(*job["worker"])
    null = os.open(os.devnull, os.O_WRONLY)
    err = os.open(job["err"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(null, 1)
    os.dup2(err, 2)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
    code = main(job["argv"])
    sys.stdout.flush()
    sys.stderr.flush()
    return code


print("zygote", flush=True)
while line := sys.stdin.readline():
    pids = []
    for job in json.loads(line):
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            try:
                code = child(job)
            except BaseException:
                import traceback
                traceback.print_exc()
                code = 70
            os._exit(code)
        pids.append(pid)
    statuses = [os.waitstatus_to_exitcode(os.waitpid(p, 0)[1]) for p in pids]
    print("exit " + json.dumps(statuses), flush=True)
"""


class Zygote:
    """The parent process of the module's tests (see ``ZYGOTE``)."""

    def __init__(self):
        self.p = subprocess.Popen([sys.executable, "-c", ZYGOTE], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  env=env(), text=True, encoding="utf-8")
        assert self.readline() == "zygote"

    def readline(self) -> str:
        line = self.p.stdout.readline()
        assert line, f"the parent process died (exit code {self.p.poll()})"
        return line.strip()

    def start(self, jobs: list[dict]) -> None:
        self.p.stdin.write(json.dumps(jobs, ensure_ascii=False) + "\n")
        self.p.stdin.flush()

    def statuses(self) -> list[int]:
        line = self.readline()
        assert line.startswith("exit "), line
        return json.loads(line[5:])

    def run(self, jobs: list[dict]) -> list[tuple[int, str]]:
        """Start the command lines of ``jobs`` at once; each one's exit code and stderr when all are done."""
        self.start(jobs)
        return [(code, Path(j["err"]).read_text(encoding="utf-8")) for code, j in zip(self.statuses(), jobs)]

    def close(self) -> None:
        self.p.stdin.close()
        self.p.wait(timeout=60)


@pytest.fixture(scope="module")
def zygote():
    z = Zygote()
    yield z
    z.close()


def cli(tmp_path: Path, name: str, *argv) -> dict:
    return {"argv": [str(a) for a in argv], "err": str(tmp_path / f"{name}.stderr")}


def test_killed_at_20_random_moments_the_workspace_stays_whole(tmp_path, zygote):
    """Each kill falls inside one of the worker's own commands, at a random fraction of how long such a command
    has taken here at the fastest (a loaded machine is several times slower than a quiet one): the first worker
    is let land an import and killed during its next command; each other one during its first or second."""
    ws = tmp_path / "ws"
    load_folder(ROOT, ws).close()
    rng = random.Random(20261130)
    fastest: dict[str, float] = {}   # seconds of the quickest finished "import" and "undo"
    interrupted = 0                  # kills that fell before the command reported its end
    for k in range(20):
        files = [str(firms_csv(tmp_path / f"k{k}{x}.csv", f"K{k}{x}", 20, rng)) for x in "ab"]
        zygote.start([{"worker": [str(ws), files, k]}])
        word, pid = zygote.readline().split()
        assert word == "ready", word
        target = 2 if k == 0 else rng.choice([1, 2])   # which command to kill, counted from the worker's first
        fraction = rng.uniform(0.0, 0.8)
        started, n, events = None, 0, []
        while True:
            line = zygote.readline()
            assert not line.startswith("exit"), f"the worker stopped by itself: {line}"
            events.append(line)
            if line.startswith("writing"):
                n, kind, started = n + 1, line.split()[1], time.monotonic()
                if n == target:
                    time.sleep(fraction * fastest.get(kind, fastest.get("import", 0.0)))
                    os.kill(int(pid), signal.SIGKILL)
                    break
            else:
                took = time.monotonic() - started
                fastest[kind] = min(fastest.get(kind, took), took)
        rest = []
        while not (line := zygote.readline()).startswith("exit"):
            rest.append(line)
        assert json.loads(line[5:]) == [-signal.SIGKILL]
        interrupted += rest == []   # the targeted command never said it was done
        if k == 0:
            assert "landed" in events, events   # an import landed before the first kill
        check_workspace(ws)
    t = saved(ws)
    assert t.changes["change_set"].nunique() > 0, "an import landed before a kill"
    # A kill misses its command only when the command ran faster than 0.8 of its quickest so far (or this
    # process was descheduled through its sleep); on a machine with a load of 13 on two cores 16 of 20 hit.
    assert interrupted >= 5, f"only {interrupted} of 20 kills fell inside a command"


def test_four_processes_importing_at_once_lose_nothing(tmp_path, zygote):
    ws = tmp_path / "ws"
    load_folder(ROOT, ws).close()
    rng = random.Random(4)
    landed = set()
    for r in range(5):
        files = [firms_csv(tmp_path / f"r{r}p{i}.csv", f"R{r}P{i}", 25, rng) for i in range(4)]
        jobs = [cli(tmp_path, f.stem, "import", "firms", f, "--workspace", ws, "--accept-valid", "--author", f.stem)
                for f in files]
        for code, err in zygote.run(jobs):
            m = re.search(r"变更集 (\w+)", err)
            if code == 0 and m:
                landed.add(m.group(1))
            else:   # a refused import says why, naming the record, and changed nothing
                assert code == 2 and "请重新载入" in err, err
    t = saved(ws)
    assert set(t.changes["change_set"]) == landed, "history lists exactly the imports that landed"
    added = t.changes[(t.changes["table"] == "firms") & (t.changes["op"] == "add")]
    assert added["change_set"].nunique() == 20 and len(added) > 20 * 15, "the imports added their new firms"
    assert set(added["key"].map(lambda k: json.loads(k)[0])) <= set(t.firms["id"]), "and every one is there"
    assert len(landed) == 20, "different files touch different records: all land"
    check_workspace(ws)


def test_two_undos_of_one_change_set_at_once_exactly_one_succeeds(tmp_path, zygote):
    ws = tmp_path / "ws"
    load_folder(ROOT, ws).close()
    f = firms_csv(tmp_path / "one.csv", "U", 30, random.Random(2))
    [(code, err)] = zygote.run([cli(tmp_path, "import", "import", "firms", f, "--workspace", ws, "--accept-valid")])
    assert code == 0, err
    cs = re.search(r"变更集 (\w+)", err).group(1)
    results = zygote.run([cli(tmp_path, f"undo{i}", "undo", cs, "--workspace", ws) for i in range(2)])
    assert sorted(code for code, _ in results) == [0, 2], results
    assert any(f"变更集 {cs} 已由变更集" in err for code, err in results if code == 2), results
    t = saved(ws)
    assert (t.changes["action"] == f"undo {cs}").sum() == (t.changes["change_set"] == cs).sum() > 30
    check_workspace(ws)
