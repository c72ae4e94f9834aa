"""Start the workbench, warmed up: ``python -m chainmap.app.serve [--port 8501] [streamlit options…]``.

``streamlit run app_streamlit.py`` starts the server at once, but the first
session to connect pays for importing the libraries, reading the workspace and
fitting the scorer (about 1.7 s with a 100,000-firm library, more on a library
never read before). This launcher starts the same server, then runs the app
script once through Streamlit's script health check, so those shared caches
(``st.cache_resource``/``st.cache_data``, imported modules) are filled before
it reports the server ready. Every option after ``--port`` goes to Streamlit.

The server is local and single-user (no accounts yet): it listens on
127.0.0.1 only, unless ``--server.address`` says otherwise, and does not watch
the source for changes (``--server.fileWatcherType none``).
"""
from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app_streamlit.py"


def command(port: int, extra: list[str]) -> list[str]:
    """The ``streamlit run`` command line of the workbench.

    ``--runner.postScriptGC false``: by default Streamlit runs a full garbage collection after every run of
    the script, over a heap that holds the tables and the fitted scorer: about 0.2 s of CPU per click on a
    2-core machine, a third of the server's work in the browser tests. Python's own collector still runs.
    """
    return [sys.executable, "-m", "streamlit", "run", str(APP), "--server.headless", "true",
            "--server.port", str(port), "--browser.gatherUsageStats", "false",
            "--server.scriptHealthCheckEnabled", "true", "--client.toolbarMode", "viewer",
            "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
            "--runner.postScriptGC", "false", *extra]


def wait_ready(url: str, proc: subprocess.Popen | None = None, timeout: float = 600) -> float:
    """Wait until the server answers, then run the app once; returns the seconds it took."""
    t0 = time.monotonic()
    while True:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2):
                break
        except OSError:
            if time.monotonic() - t0 > timeout:
                raise TimeoutError("streamlit did not start") from None
            time.sleep(0.2)
    try:  # runs the script once: imports, workspace, scorer
        with urllib.request.urlopen(url + "/_stcore/script-health-check", timeout=timeout):
            pass
    except urllib.error.HTTPError as e:
        raise RuntimeError(f"the app failed its first run ({e.code}): see the server log") from None
    return time.monotonic() - t0


def stop(proc: subprocess.Popen, timeout: float = 15) -> None:
    """Stop a server process: SIGTERM, then SIGKILL if it has not exited within ``timeout`` s."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chainmap.app.serve", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8501)
    args, extra = parser.parse_known_args(argv)

    def on_sigterm(signum, frame):  # SIGTERM: stop the server too, not only this launcher
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, on_sigterm)
    proc = subprocess.Popen(command(args.port, extra))
    url = f"http://localhost:{args.port}"
    try:
        took = wait_ready(f"http://127.0.0.1:{args.port}", proc)
        print(f"chainmap 工作台已就绪 / workbench ready: {url}  ({took:.1f} s)", flush=True)
        return proc.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        stop(proc)


if __name__ == "__main__":
    sys.exit(main())
