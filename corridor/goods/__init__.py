"""Goods: HS codes and national codes, the HS nomenclature, goods lists (the Common High
Priority List and the user's own), description search and vagueness, and the checker that
puts them together."""

from corridor.goods.check import GoodsCheck, GoodsChecker, ListHit
from corridor.goods.codes import GoodsCode, format_hs, parse_code
from corridor.goods.describe import DescriptionIndex, Suggestion, is_vague
from corridor.goods.lists import bundled_goods_lists, read_goods_list
from corridor.goods.nomenclature import Nomenclature, hs2022

__all__ = [
    "DescriptionIndex",
    "GoodsCheck",
    "GoodsChecker",
    "GoodsCode",
    "ListHit",
    "Nomenclature",
    "Suggestion",
    "bundled_goods_lists",
    "format_hs",
    "hs2022",
    "is_vague",
    "parse_code",
    "read_goods_list",
]
