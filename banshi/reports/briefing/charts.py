"""The briefing's charts as PNG images (matplotlib, Agg backend), labelled with a CJK font
found at run time through fontconfig. Without one, no chart is drawn (Chinese labels would
come out as boxes) and the briefing says so in a note line."""

import functools
import io
import logging
import shutil
import subprocess

logger = logging.getLogger(__name__)

NO_FONT_NOTE = "(注：本机未安装中文字体，图表从略。安装 fonts-wqy-microhei 后重新生成即可附图。)"


@functools.cache
def cjk_font() -> str | None:
    """The file of a font that covers Chinese (fontconfig's `fc-list :lang=zh`), or None."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        logger.warning("fontconfig (fc-list) not found: the briefing goes without charts")
        return None
    try:
        listed = subprocess.run([fc_list, ":lang=zh", "file"], capture_output=True,  # noqa: S603 - fixed arguments
                                text=True, timeout=20, check=False).stdout
    except (OSError, subprocess.SubprocessError) as error:
        logger.warning("fontconfig not usable (%s): the briefing goes without charts", error)
        return None
    files = sorted(line.strip().rstrip(":") for line in listed.splitlines() if line.strip())
    # prefer the fonts CI installs (WenQuanYi), then any other
    files.sort(key=lambda f: ("wqy" not in f.lower(), f))
    return files[0] if files else None


def bar_chart(title: str, labels: list[str], series: list[tuple[str, list[int]]],
              unit: str) -> bytes | None:
    """A horizontal bar chart (one bar group per label), as PNG bytes; None without a font."""
    font_file = cjk_font()
    if font_file is None or not labels:
        return None
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt
    from matplotlib.ticker import MaxNLocator

    font = font_manager.FontProperties(fname=font_file)
    height = max(2.6, 0.38 * len(labels) * max(1, len(series)) + 1.2)
    figure, axes = plt.subplots(figsize=(7.2, height), dpi=150)
    try:
        width = 0.8 / len(series)
        positions = range(len(labels))
        for n, (name, values) in enumerate(series):
            bars = axes.barh([p + n * width for p in positions], values, height=width,
                             label=name)
            for bar, value in zip(bars, values, strict=True):
                axes.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {value}",
                          va="center", fontsize=8)
        axes.set_yticks([p + width * (len(series) - 1) / 2 for p in positions])
        axes.set_yticklabels(labels, fontproperties=font, fontsize=9)
        axes.invert_yaxis()
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_xlabel(unit, fontproperties=font)
        axes.set_title(title, fontproperties=font, fontsize=12)
        axes.spines[["top", "right"]].set_visible(False)
        if len(series) > 1:
            axes.legend(prop=font, fontsize=8, loc="lower right")
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(figure)
