"""工作简报 in chromium (locale zh-CN) at 1366 px and 390 px: the period picker, 生成简报
downloads the Word file of the chosen period, and a street's staff get their street's.
Screenshots go to output_dir."""

import io

import docx
import pytest

from .factories import build_district
from .test_browser import pw_db  # noqa: F401 - fixture
from .test_browser_zh import staff_page
from .test_collection_stats import build_world, expected


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_button_downloads_the_briefing(live_server, browser, pw_db, output_dir,  # noqa: F811
                                           size):
    build_world(build_district())
    base = live_server.url
    for username, title in [("dispatcher", "中原区"), ("linshanzhai", "林山寨街道办事处")]:
        page = staff_page(browser, base, username, size)
        page.goto(f"{base}/staff/reports/briefing/")
        page.fill("#id_start", "2026-03-01")
        page.fill("#id_end", "2026-03-31")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], "the page scrolls sideways"
        page.screenshot(path=output_dir / f"briefing-{username}-{size}.png", full_page=True)
        with page.expect_download() as download_info:
            page.click("button[name=generate]")
        download = download_info.value
        assert download.suggested_filename == "工作简报-20260301-20260331.docx"
        paragraphs = [p.text for p in docx.Document(io.BytesIO(
            download.path().read_bytes())).paragraphs]
        assert paragraphs[0] == f"{title}“我为群众办实事”实践活动工作简报"
        role = "dispatcher" if username == "dispatcher" else "street"
        f = expected(role)
        scope = "全区" if username == "dispatcher" else title
        assert any(p.startswith(f"{scope}共召开群众诉求征集意见座谈会{f['symposiums']}场")
                   for p in paragraphs)
        page.context.close()
