"""Problem detection at scale: 100,000 appeals in ≤ 60 s and ≤ 2 GB on this machine.

    .venv/bin/python bench/bench_problems.py [--data messages_with_likes.xlsx] [--n 100000]

With --data, the message board is replicated until --n messages, all in the same period
(times jittered by up to two days): every copy renames the places it mentions (丽发新城 →
甲发新城, 乙发新城, …) so each copy's hot problems are problems of their own, gets new ids
and users, and its bodies are perturbed after their opening (a few characters dropped or replaced,
sentences reordered), so no two copies are identical. Copies still share their wording, so this is
harder on blocking and near-duplicate search than a real board. Without --data (or when
the file is absent) a synthetic board is generated: recurring place × issue templates
with noise. Prints the time, the number of clusters and the peak RSS of this process and
of the largest forked worker (RUSAGE_CHILDREN).
"""

import argparse
import datetime as dt
import json
import logging
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from banshi.triage.messages_io import read_messages  # noqa: E402
from banshi.triage.places import PlaceExtractor  # noqa: E402
from banshi.triage.problems import Message, detect_problems  # noqa: E402

DEFAULT_DATA = (Path(__file__).resolve().parents[2] / "shared" / "datasets" / "messageboard"
                / "messages_with_likes.xlsx")


def perturb(text: str, rng: random.Random) -> str:
    """Drop or replace a few characters and sometimes swap two sentences."""
    chars = list(text)
    for _ in range(max(1, len(chars) // 80)):
        if not chars:
            break
        position = rng.randrange(len(chars))
        if rng.random() < 0.5:
            del chars[position]
        else:
            chars[position] = rng.choice("的了是在有和也很都")
    result = "".join(chars)
    sentences = result.split("。")
    if len(sentences) > 2 and rng.random() < 0.5:
        i, j = rng.sample(range(len(sentences)), 2)
        sentences[i], sentences[j] = sentences[j], sentences[i]
    return "。".join(sentences)


KEEP = 60  # leading characters of a body left as they are
VARIANTS = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥金木水火土"


def place_names(base: list[Message]) -> list[list[str]]:
    """The place names of each message, longest first (what a copy renames)."""
    extractor = PlaceExtractor()
    names = []
    for m in base:
        found = {p.name for p in extractor.analyse(m.title + "。" + m.content[:1500]).places
                 if p.kind != "crowd" and len(p.name) >= 3}
        names.append(sorted(found, key=lambda name: (-len(name), name)))
    return names


def rename(text: str, names: list[str], variant: str) -> str:
    """丽发新城 → 甲发甲城: two characters of every name replaced, so no alias survives."""
    for name in names:
        renamed = variant + name[1:-2] + variant + name[-1:] if len(name) >= 4 else (
            variant + variant + name[-1])
        text = text.replace(name, renamed)
    return text


def replicate(base: list[Message], n: int, seed: int) -> list[Message]:
    """Copies of the board in the same period, each about other places (renamed)."""
    rng = random.Random(seed)
    names = place_names(base)
    messages: list[Message] = []
    copy = 0
    while len(messages) < n:
        variant = VARIANTS[(copy - 1) % len(VARIANTS)] * (1 + (copy - 1) // len(VARIANTS))
        for m, named in zip(base, names, strict=True):
            if len(messages) >= n:
                break
            title, content = m.title, m.content
            if copy:  # perturb after the opening, where places are named, not in it
                title = rename(title, named, variant)
                content = rename(content, named, variant)
                content = content[:KEEP] + perturb(content[KEEP:], rng)
            shift = dt.timedelta(hours=rng.uniform(-48, 48)) if copy else dt.timedelta()
            messages.append(Message(id=f"{m.id}-{copy}", user=f"{m.user}-{copy}", title=title,
                                    content=content, at=m.at + shift, likes=m.likes,
                                    dislikes=m.dislikes))
        copy += 1
    return messages


NAMES = ["金桂", "银杏", "翠湖", "丽华", "东风", "和平", "幸福", "阳光", "滨江", "梅园", "星辰",
         "育才", "红旗", "朝阳", "长青", "兴业", "华庭", "锦绣", "碧水", "青山"]
SUFFIXES = ["小区", "花园", "新村", "路", "大道", "中学", "小学", "家园"]
ISSUES = ["夜间施工噪音扰民，严重影响休息", "路灯不亮，晚上出行不安全", "垃圾清运不及时，气味难闻",
          "停车难，车辆乱停乱放堵塞消防通道", "自来水水压低，高层经常停水", "餐饮油烟直排扰民",
          "道路坑洼积水，雨天无法通行", "物业乱收费，服务质量差",
          "学校门口交通拥堵，孩子上学不安全", "违建搭建侵占公共绿地"]


def synthetic(n: int, seed: int) -> list[Message]:
    """Recurring place × issue complaints over a year, with noise."""
    rng = random.Random(seed)
    start = dt.datetime(2024, 1, 1)  # noqa: DTZ001 - wall-clock times, as on a message board
    places = [name + suffix for name in NAMES for suffix in SUFFIXES]
    messages = []
    for i in range(n):
        place, issue = rng.choice(places), rng.choice(ISSUES)
        at = start + dt.timedelta(days=rng.uniform(0, 365))
        district = f"A{rng.randrange(1, 9)}区"
        body = f"尊敬的领导：A市{district}{place}{issue}。{perturb((issue + '。') * 2, rng)}"
        messages.append(Message(id=str(i), user=f"u{rng.randrange(n // 2)}",
                                title=f"{district}{place}{issue.split('，')[0]}", content=body,
                                at=at, likes=rng.choice([0, 0, 0, 1, 2, 5])))
    return messages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(format="  %(message)s")
    logging.getLogger("banshi.triage.problems").setLevel(logging.DEBUG)  # stage times
    started = time.perf_counter()
    if args.data and args.data.exists():
        source = f"{args.data.name} replicated"
        messages = replicate(read_messages(args.data), args.n, args.seed)
    else:
        source = "synthetic"
        messages = synthetic(args.n, args.seed)
    prepared = time.perf_counter() - started
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    clusters = detect_problems(messages, seed=args.seed, workers=args.workers)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result = {"source": source, "messages": len(messages), "prepare_s": round(prepared, 1),
              "detect_s": round(seconds, 1), "messages_per_s": round(len(messages) / seconds),
              "clusters": len(clusters), "clustered_messages": sum(c.count for c in clusters),
              "rss_before_mb": round(rss_before), "peak_rss_mb": round(peak),
              "worker_peak_rss_mb": round(workers_peak), "workers": args.workers}
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return
    for name, value in result.items():
        print(f"{name:>20}: {value}")
    for cluster in clusters[:5]:
        print(f"  #{cluster.rank} {cluster.heat} {cluster.place} {cluster.count} {cluster.title}")


if __name__ == "__main__":
    main()
