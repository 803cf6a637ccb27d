"""The second classifier check's labels and its unseen filter (banshi/triage/replies.py)."""

import pytest

from banshi.triage.replies import Answered, answering_label, labelled_by_answer, unseen


@pytest.mark.parametrize(("reply", "label"), [
    ("网友您好：您反映的问题已转A3区教育局核实，现答复如下……", "教育文体"),
    ("经A市人力资源和社会保障局调查，您的社保补缴……", "劳动和社会保障"),
    ("A市生态环境局A5分局已对该搅拌站噪音进行检测……", "环境保护"),
    ("经A7县住房和城乡建设局核查，该小区交房……", "城乡建设"),
    ("市交通运输局已责成出租车公司整改……", "交通运输"),
    # the board files 公交 under 城乡建设 and 交警 under 政法: no label from them
    ("A市公交集团回复：128路公交线路将于下月调整……", None),
    ("A7县公安局交警大队已安排警力整治……", None),
    # two categories' departments: no label
    ("经区教育局和区卫生健康局联合调查……", None),
    ("感谢您的留言。", None),
])
def test_answering_label(reply, label):
    assert answering_label(reply) == label


def test_only_answers_with_one_category_and_some_text_are_kept():
    rows = [("学校收费", "某中学乱收费", "A市教育局：已责令退还。"),
            ("", "", "A市教育局：已责令退还。"),
            ("路灯", "路灯不亮", "感谢您的留言。")]
    assert labelled_by_answer(rows) == [Answered("学校收费", "某中学乱收费", "教育文体")]


def test_messages_the_training_file_holds_are_dropped():
    training = ["A市翠湖花园小区烧烤店噪音扰民",
                "翠湖花园小区楼下烧烤店每天营业到凌晨两点，噪音太大，居民无法休息，请尽快处理。"]
    items = [
        Answered("A市翠湖花园小区烧烤店噪音扰民", "全新的正文", "环境保护"),  # its title
        Answered("另一个标题", "翠湖花园小区楼下烧烤店每天营业到凌晨两点，噪音太大，居民无法休息。",
                 "环境保护"),  # its body, almost
        Answered("建设路路灯不亮", "建设路中段路灯已经一个星期不亮了，晚上出行很不安全。",
                 "城乡建设"),
    ]
    assert unseen(items, training) == [items[2]]
    assert unseen([], training) == []
