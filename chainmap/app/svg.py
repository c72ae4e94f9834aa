"""Small static SVG charts for the 总览 page. Pure: numbers in, SVG text out.

The overview is the page every session opens first, and its budget is a first
load under 3 s. A Plotly chart costs about a second of JavaScript in the
browser before it draws (a Streamlit line chart loads Vega too), so the
overview draws its gauge, its small bar charts and its monthly curve as plain
SVG (no script, instant, crisp when printed); the other pages keep interactive
Plotly charts. Hovering a bar or the gauge shows its figure
(SVG ``<title>``).
"""
from __future__ import annotations

import math
from html import escape

FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"


def _polar(cx: float, cy: float, r: float, share: float) -> tuple[float, float]:
    """Point on a half circle opening downwards: share 0 at the left end, 1 at the right."""
    a = math.pi * (1 - share)
    return cx + r * math.cos(a), cy - r * math.sin(a)


def _arc(cx: float, cy: float, r_out: float, r_in: float, a: float, b: float) -> str:
    """An annular sector of the half circle from share ``a`` to share ``b``."""
    a, b = max(0.0, min(1.0, a)), max(0.0, min(1.0, b))
    if b <= a:
        return ""
    x1, y1 = _polar(cx, cy, r_out, a)
    x2, y2 = _polar(cx, cy, r_out, b)
    x3, y3 = _polar(cx, cy, r_in, b)
    x4, y4 = _polar(cx, cy, r_in, a)
    return (f"M{x1:.1f},{y1:.1f} A{r_out},{r_out} 0 0 1 {x2:.1f},{y2:.1f} "
            f"L{x3:.1f},{y3:.1f} A{r_in},{r_in} 0 0 0 {x4:.1f},{y4:.1f} Z")


def gauge(value: float, target: float, baseline: float | None, time_share: float | None, title: str,
          value_text: str, labels: dict[str, str]) -> str:
    """A half-circle gauge: the amount signed (red) against the target, with last year's total
    (dark tick) and where the calendar says we should be (light band).

    Examples
    --------
    >>> svg = gauge(120, 800, 753, 0.5, "2026年新签约", "120亿元", {"baseline": "2025年", "time": "时间进度"})
    >>> svg.startswith("<svg") and "120亿元" in svg and "2025年" in svg
    True
    """
    w, h, cx, cy, r_out, r_in = 420, 250, 210, 205, 160, 112
    top = max(target, value, baseline or 0) * 1.05 or 1.0
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" '
             f'style="max-width:{w}px;font-family:{FONT}" role="img" aria-label="{escape(title)}">',
             f'<text x="{cx}" y="18" text-anchor="middle" font-size="15" fill="#37474f">{escape(title)}</text>',
             f'<path d="{_arc(cx, cy, r_out, r_in, 0, 1)}" fill="#eceff1"/>']
    if time_share:
        parts.append(f'<path d="{_arc(cx, cy, r_out, r_in, 0, target * time_share / top)}" fill="#cfe2f3">'
                     f'<title>{escape(labels.get("time", ""))}</title></path>')
    parts.append(f'<path d="{_arc(cx, cy, r_out - 14, r_in + 14, 0, value / top)}" fill="#c62828">'
                 f'<title>{escape(value_text)}</title></path>')
    for tick in _ticks(top):
        x1, y1 = _polar(cx, cy, r_out + 2, tick / top)
        x2, y2 = _polar(cx, cy, r_out + 16, tick / top)
        parts.append(f'<text x="{x2:.0f}" y="{y2:.0f}" text-anchor="middle" dominant-baseline="middle" '
                     f'font-size="11" fill="#78909c">{tick:,.0f}</text>')
    if target:
        x1, y1 = _polar(cx, cy, r_in - 4, target / top)
        x2, y2 = _polar(cx, cy, r_out + 4, target / top)
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#c62828" '
                     f'stroke-width="2" stroke-dasharray="4 3"><title>{escape(labels.get("target", ""))}</title></line>')
    if baseline:
        x1, y1 = _polar(cx, cy, r_in - 2, baseline / top)
        x2, y2 = _polar(cx, cy, r_out + 2, baseline / top)
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#263238" '
                     f'stroke-width="4"><title>{escape(labels.get("baseline", ""))}</title></line>')
    parts.append(f'<text x="{cx}" y="{cy - 18}" text-anchor="middle" font-size="36" fill="#263238">'
                 f'{escape(value_text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _ticks(top: float) -> list[float]:
    step = 10 ** math.floor(math.log10(top)) if top > 0 else 1
    if top / step < 3:
        step /= 2
    if top / step > 6:
        step *= 2
    return [k * step for k in range(0, int(top / step) + 1)]


def bars(values: list[int], colours: list[str], labels: list[str], height: int = 150) -> str:
    """Vertical bars with their value above and their label below (always every bar, zeros too).

    Examples
    --------
    >>> svg = bars([2, 0, 3], ["#2e7d32", "#f9a825", "#c62828"], ["优势", "强链", "补链"])
    >>> svg.count("<rect"), "补链" in svg
    (3, True)
    """
    n = max(1, len(values))
    w, pad_top, pad_bottom = 300, 22, 26
    slot = w / n
    bar_w = slot * 0.56
    top = max(values + [1])
    inner = height - pad_top - pad_bottom
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {height}" width="100%" '
             f'style="font-family:{FONT}" role="img">']
    for k, (v, c, lab) in enumerate(zip(values, colours, labels)):
        bh = max(1.5, inner * v / top) if v else 1.5
        x = slot * k + (slot - bar_w) / 2
        y = pad_top + inner - bh
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{bh:.1f}" fill="{c}" rx="2">'
                     f'<title>{escape(lab)}：{v}</title></rect>')
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{y - 5:.1f}" text-anchor="middle" font-size="13" '
                     f'fill="#455a64">{v}</text>')
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{height - 8}" text-anchor="middle" font-size="12" '
                     f'fill="#546e7a">{escape(lab)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def lines(series: dict[str, list[float]], colours: list[str], x_labels: list[str], title: str,
          x_title: str = "", y_title: str = "", height: int = 260) -> str:
    """Lines over the same x labels, with a legend, y ticks and every x label; a NaN leaves a gap (a curve that
    stops today). Hovering a point shows its series, label and value (SVG ``<title>``).

    Examples
    --------
    >>> svg = lines({"台账累计": [10, 40, float("nan")], "按计划均衡进度": [67, 133, 200]}, ["#c62828", "#90caf9"],
    ...             ["01月", "02月", "03月"], "2026年逐月累计签约", y_title="亿元")
    >>> svg.count("<polyline"), svg.count("<circle"), "按计划均衡进度" in svg and "03月" in svg
    (2, 5, True)
    """
    w, left, right, top_pad, bottom = 560, 52, 24, 30, 40 if x_title else 26
    values = [v for vs in series.values() for v in vs if v == v]
    top = max(values + [0.0]) * 1.08 or 1.0
    ticks = [t for t in _ticks(top) if t <= top]
    inner_w, inner_h = w - left - right, height - top_pad - bottom
    step = inner_w / max(1, len(x_labels) - 1)
    x = lambda i: left + i * step  # noqa: E731
    y = lambda v: top_pad + inner_h * (1 - v / top)  # noqa: E731
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {height}" width="100%" '
             f'style="font-family:{FONT}" role="img" aria-label="{escape(title)}">']
    for t in ticks:
        parts.append(f'<line x1="{left}" x2="{w - right}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="#eceff1"/>'
                     f'<text x="{left - 6}" y="{y(t):.1f}" text-anchor="end" dominant-baseline="middle" '
                     f'font-size="11" fill="#78909c">{t:,.0f}</text>')
    if y_title:
        parts.append(f'<text x="4" y="14" font-size="11" fill="#546e7a">{escape(y_title)}</text>')
    for i, lab in enumerate(x_labels):
        parts.append(f'<text x="{x(i):.1f}" y="{top_pad + inner_h + 16}" text-anchor="middle" font-size="11" '
                     f'fill="#546e7a">{escape(lab)}</text>')
    if x_title:
        parts.append(f'<text x="{left + inner_w / 2:.0f}" y="{height - 4}" text-anchor="middle" font-size="11" '
                     f'fill="#546e7a">{escape(x_title)}</text>')
    for k, ((name, vs), colour) in enumerate(zip(series.items(), colours)):
        runs, run = [], []
        for i, v in enumerate(vs):   # a NaN ends a run of points
            if v == v:
                run.append(i)
            elif run:
                runs.append(run)
                run = []
        for run in filter(None, runs + [run]):
            points = " ".join(f"{x(i):.1f},{y(vs[i]):.1f}" for i in run)
            parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        parts += [f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.5" fill="{colour}"><title>{escape(name)} · '
                  f'{escape(x_labels[i])}：{v:,.1f}</title></circle>' for i, v in enumerate(vs) if v == v]
        lx = w - right - 150 * (len(series) - k)
        parts.append(f'<line x1="{lx}" x2="{lx + 18}" y1="12" y2="12" stroke="{colour}" stroke-width="2.5"/>'
                     f'<text x="{lx + 24}" y="12" dominant-baseline="middle" font-size="12" fill="#37474f">'
                     f'{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)
