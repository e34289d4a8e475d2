"""Small public-domain corpora for the BPE checks (no data set needed).

The opening lines of tiny Shakespeare, and 24 well-known Tang poems in traditional
characters (as in the course's Tang-poem corpus). Checks draw seeded corpora from them.
"""

SHAKESPEARE_LINES = [
    "First Citizen:",
    "Before we proceed any further, hear me speak.",
    "All:",
    "Speak, speak.",
    "First Citizen:",
    "You are all resolved rather to die than to famish?",
    "All:",
    "Resolved. resolved.",
    "First Citizen:",
    "First, you know Caius Marcius is chief enemy to the people.",
    "All:",
    "We know't, we know't.",
    "First Citizen:",
    "Let us kill him, and we'll have corn at our own price.",
    "Is't a verdict?",
    "All:",
    "No more talking on't; let it be done: away, away!",
    "Second Citizen:",
    "One word, good citizens.",
    "First Citizen:",
    "We are accounted poor citizens, the patricians good.",
    "What authority surfeits on would relieve us: if they",
    "would yield us but the superfluity, while it were",
    "wholesome, we might guess they relieved us humanely;",
    "but they think we are too dear: the leanness that",
    "afflicts us, the object of our misery, is as an",
    "inventory to particularise their abundance; our",
    "sufferance is a gain to them Let us revenge this with",
    "our pikes, ere we become rakes: for the gods know I",
    "speak this in hunger for bread, not in thirst for revenge.",
    "Second Citizen:",
    "Would you proceed especially against Caius Marcius?",
    "All:",
    "Against him first: he's a very dog to the commonalty.",
    "Second Citizen:",
    "Consider you what services he has done for his country?",
    "First Citizen:",
    "Very well; and could be content to give him good",
    "report fort, but that he pays himself with being proud.",
    "Second Citizen:",
    "Nay, but speak not maliciously.",
    "First Citizen:",
    "I say unto you, what he hath done famously, he did",
    "it to that end: though soft-conscienced men can be",
    "content to say it was for his country he did it to",
    "please his mother and to be partly proud; which he",
    "is, even till the altitude of his virtue.",
    "Second Citizen:",
    "What he cannot help in his nature, you account a",
    "vice in him. You must in no way say he is covetous.",
    "First Citizen:",
    "If I must not, I need not be barren of accusations;",
    "he hath faults, with surplus, to tire in repetition.",
    "What shouts are these? The other side o' the city",
    "is risen: why stay we prating here? to the Capitol!",
    "All:",
    "Come, come.",
    "First Citizen:",
    "Soft! who comes here?",
    "Second Citizen:",
    "Worthy Menenius Agrippa; one that hath always loved",
    "the people.",
    "First Citizen:",
    "He's one honest enough: would all the rest were so!",
    "MENENIUS:",
    "What work's, my countrymen, in hand? where go you",
    "With bats and clubs? The matter? speak, I pray you.",
    "First Citizen:",
    "Our business is not unknown to the senate; they have",
    "had inkling this fortnight what we intend to do,",
    "which now we'll show 'em in deeds. They say poor",
]

TANG_POEMS = [
    "床前明月光，疑是地上霜。舉頭望明月，低頭思故鄉。",
    "春眠不覺曉，處處聞啼鳥。夜來風雨聲，花落知多少。",
    "白日依山盡，黃河入海流。欲窮千里目，更上一層樓。",
    "紅豆生南國，春來發幾枝。願君多采擷，此物最相思。",
    "空山不見人，但聞人語響。返景入深林，復照青苔上。",
    "千山鳥飛絕，萬徑人蹤滅。孤舟蓑笠翁，獨釣寒江雪。",
    "鋤禾日當午，汗滴禾下土。誰知盤中餐，粒粒皆辛苦。",
    "向晚意不適，驅車登古原。夕陽無限好，只是近黃昏。",
    "渭城朝雨浥輕塵，客舍青青柳色新。勸君更盡一杯酒，西出陽關無故人。",
    "故人西辭黃鶴樓，煙花三月下揚州。孤帆遠影碧空盡，唯見長江天際流。",
    "朝辭白帝彩雲間，千里江陵一日還。兩岸猿聲啼不住，輕舟已過萬重山。",
    "葡萄美酒夜光杯，欲飲琵琶馬上催。醉臥沙場君莫笑，古來征戰幾人回。",
    "秦時明月漢時關，萬里長征人未還。但使龍城飛將在，不教胡馬度陰山。",
    "月落烏啼霜滿天，江楓漁火對愁眠。姑蘇城外寒山寺，夜半鐘聲到客船。",
    "清明時節雨紛紛，路上行人欲斷魂。借問酒家何處有，牧童遙指杏花村。",
    "遠上寒山石徑斜，白雲生處有人家。停車坐愛楓林晚，霜葉紅於二月花。",
    "兩個黃鸝鳴翠柳，一行白鷺上青天。窗含西嶺千秋雪，門泊東吳萬里船。",
    "國破山河在，城春草木深。感時花濺淚，恨別鳥驚心。烽火連三月，家書抵萬金。白頭搔更短，渾欲不勝簪。",
    "離離原上草，一歲一枯榮。野火燒不盡，春風吹又生。遠芳侵古道，晴翠接荒城。又送王孫去，萋萋滿別情。",
    "少小離家老大回，鄉音無改鬢毛衰。兒童相見不相識，笑問客從何處來。",
    "碧玉妝成一樹高，萬條垂下綠絲絛。不知細葉誰裁出，二月春風似剪刀。",
    "日照香爐生紫煙，遙看瀑布掛前川。飛流直下三千尺，疑是銀河落九天。",
    "慈母手中線，遊子身上衣。臨行密密縫，意恐遲遲歸。誰言寸草心，報得三春暉。",
    "松下問童子，言師採藥去。只在此山中，雲深不知處。",
]


def english(rng, n_lines: int) -> str:
    """``n_lines`` lines of Shakespeare drawn with ``rng``, one per line."""
    idx = rng.integers(0, len(SHAKESPEARE_LINES), size=n_lines)
    return "\n".join(SHAKESPEARE_LINES[i] for i in idx) + "\n"


def chinese(rng, n_poems: int) -> str:
    """``n_poems`` poems drawn with ``rng``, one per line."""
    idx = rng.integers(0, len(TANG_POEMS), size=n_poems)
    return "\n".join(TANG_POEMS[i] for i in idx) + "\n"
