"""Generate the embedded sample: a synthetic Ordos (鄂尔多斯市) intake for plan year 2027.

合成数据，非真实申报。Unit names, banners, parks and the kind of projects are realistic; every
project, system, amount, date, conclusion and usage figure is invented by this script.

Writes, into ``workbench/data/sample`` (or ``--out``):

* ``candidates.csv`` the July 2026 submissions (contract ``workbench/intake/schema/candidates.csv``)
* ``systems.csv``    the registry of built systems (contract ``.../schema/systems.csv``)
* ``usage.csv``      monthly usage 2025-01..2026-09 (contract ``.../schema/usage.csv``)
* ``README.md``      what the data is, how it was made, and which rows trigger which rule

Headers are the contracts' Chinese ``header_zh``; values are written as a department would fill
in the form. The output is deterministic: ``numpy.random.default_rng(seed)`` drives every random
choice, rows are written in id order, so two runs with the same seed give byte-identical files.
Rows that must trigger a rule (and its exact boundaries) are pinned in ``SPECIAL`` and
``SYSTEM_SPECIAL``; ``expected_triggers`` recomputes, from the written rows, which project ids
each rule hits, prints them and lists them in the README.

    python scripts/make_sample.py [--seed 20260731] [--out workbench/data/sample]
"""

from __future__ import annotations

import argparse
import csv
import re
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal as D
from pathlib import Path

import numpy as np

SEED = 20260731
PLAN_YEAR = 2027
REFERENCE_DATE = date(PLAN_YEAR, 1, 1)
LAST_USAGE_MONTH = (2026, 9)  # usage compiled by the data bureau for the autumn plan review
ROOT = Path(__file__).resolve().parents[1]
SCHEMA_DIR = ROOT / "workbench" / "intake" / "schema"
DEFAULT_OUT = ROOT / "workbench" / "data" / "sample"
DC = "市政务服务中心（市大数据中心）"
YES, NO = "是", "否"

# ---------------------------------------------------------------------------------------------
# Catalogue. A project line is "<code> <name> [#domain] [@project_type]": code B new build,
# U upgrade (建设类), S procured service; "+"/"+2" new systems, "-n" retired systems, "^k" the
# unit's k-th system it upgrades. Every running system may also get an O&M renewal project.
# ---------------------------------------------------------------------------------------------
CITY: list[tuple[str, str, list[str], list[str]]] = [
    (
        DC,
        "数据资源",
        [
            "鄂尔多斯市政务云（信创云）平台",
            "一体化政务数据共享交换平台",
            "城市智能体公共支撑平台（一期）",
            "电子政务外网",
            "统一身份认证平台",
        ],
        [
            "U^1 政务云（信创云）扩容项目 #政务云网 @公共基础设施类",
            "B 城市智能体公共支撑平台二期 #城市智能体 @公共支撑平台类",
            "B 市级政务数据中心（灾备中心）机房建设项目 #政务云网 @公共基础设施类",
            "U^4 电子政务外网IPv6升级及安全加固项目 #政务云网 @公共基础设施类",
            "B+ 全市视频资源共享平台建设项目 #视频共享 @公共支撑平台类",
            "B 政务区块链基础平台建设项目 #区块链 @公共支撑平台类",
            "U^2 一体化政务数据共享交换平台升级改造项目 @公共支撑平台类",
            "U^5 统一身份认证平台升级改造项目 #公共支撑 @公共支撑平台类",
            "S 公共数据资源目录编制及数据治理服务",
            "B 政务云密码服务平台建设项目 #网络安全 @安全类",
            "S 政务外网网络安全监测预警服务 #网络安全 @安全类",
            "B-3 部门自建机房整合迁移上云项目 #政务云网 @公共基础设施类",
        ],
    ),
    (
        "市行政审批政务服务与数据管理局",
        "政务服务",
        ["政务服务一网通办平台", "12345政务服务便民热线系统", "政务信息化项目全生命周期管理系统"],
        [
            "U^1 政务服务一网通办平台升级改造项目",
            "B+-1 政务服务免申即享平台建设项目",
            "S 政务服务好差评第三方评估服务",
            "S 政务服务事项标准化梳理服务",
            "B-2 政务服务中心智能导办系统整合建设项目",
        ],
    ),
    (
        "市发展和改革委员会",
        "发展改革",
        ["社会信用信息平台", "价格监测分析系统"],
        [
            "B+ 企业信用信息归集与共享平台建设项目 #社会信用",
            "B 重点项目全生命周期调度平台建设项目",
            "U^2 价格监测分析系统升级改造项目",
            "S 重大项目谋划储备数据服务",
        ],
    ),
    (
        "市教育局",
        "教育",
        ["智慧教育云平台", "中小学学籍管理系统", "教育资源公共服务平台（旧版）"],
        [
            "B+ 校园安全视频监控联网平台建设项目",
            "U 教育城域网及数据中心机房改造项目 @公共基础设施类",
            "U^1 智慧教育云平台升级改造项目",
            "S 中小学数字教材及教学资源服务采购项目",
            "B 教育督导评估信息系统建设项目",
            "B 中小学招生入学一件事平台建设项目",
        ],
    ),
    (
        "市科学技术局",
        "科技创新",
        ["科技创新资源共享服务平台", "科技项目管理系统"],
        [
            "B+ 科技成果转化服务平台建设项目",
            "U^2 科技项目管理系统升级改造项目",
            "S 科技专家库数据更新服务",
        ],
    ),
    (
        "市工业和信息化局",
        "工业经济",
        ["工业经济运行监测平台", "中小企业公共服务平台"],
        [
            "B+ 工业互联网标识解析公共服务平台建设项目",
            "U^1 工业经济运行监测平台升级改造项目",
            "B 化工园区安全风险智能化管控平台建设项目 #安全生产",
            "S 重点工业企业能耗数据采集服务",
        ],
    ),
    (
        "市公安局",
        "公共安全",
        ["公安视频图像信息综合应用平台", "公安大数据智能化平台", "交通管理指挥系统"],
        [
            "B+ 智慧警务视频解析平台建设项目",
            "B+ 智慧交管信号优化控制系统建设项目 #交通管理",
            "B 中小学校园安全视频监控联网平台建设项目",
            "U 公安专网安全防护体系升级改造项目 @安全类",
            "B 大型活动安保指挥调度系统建设项目",
            "U^2-2 公安大数据智能化平台扩容项目",
            "S 公安视频图像数据标注服务",
        ],
    ),
    (
        "市民政局",
        "民政",
        ["社会救助信息系统", "养老服务综合管理平台", "养老机构管理系统（旧版）"],
        [
            "U^1 社会救助信息系统升级改造项目",
            "U^2 养老服务综合管理平台升级改造项目",
            "B 婚姻登记档案数字化建设项目",
            "S 低收入人口动态监测数据比对服务",
            "B 殡葬服务管理信息系统建设项目",
        ],
    ),
    (
        "市司法局",
        "司法行政",
        ["公共法律服务平台", "行政执法监督平台"],
        [
            "B+ 智慧社区矫正管理系统建设项目",
            "S 行政复议案件管理系统云服务采购",
            "U^2 行政执法监督平台升级改造项目",
        ],
    ),
    (
        "市财政局",
        "财政",
        ["预算管理一体化系统", "财政电子票据管理系统"],
        [
            "U^1 预算管理一体化系统升级改造项目",
            "B+ 财会监督信息平台建设项目",
            "S 政府债务数据监测服务",
            "U^2 财政电子票据管理系统信创适配改造项目",
            "S 预算绩效管理第三方评价服务",
            "S 财政核心业务系统等保测评及密码应用安全性评估服务",
        ],
    ),
    (
        "市人力资源和社会保障局",
        "人力社保",
        ["社会保障卡一卡通服务平台", "就业创业服务平台", "劳动保障监察系统（旧版）"],
        [
            "U^1 社会保障卡一卡通服务平台功能升级改造项目",
            "B+-1 智慧人社经办服务平台建设项目",
            "S 人社数据治理及比对服务",
            "U^2 就业创业服务平台升级改造项目",
            "S 社保基金数据安全风险评估服务",
        ],
    ),
    (
        "市自然资源局",
        "自然资源",
        ["不动产登记信息管理平台", "国土空间基础信息平台"],
        [
            "U^1 不动产登记信息管理平台升级改造项目",
            "B+ 国土空间规划实施监督系统建设项目",
            "S 自然资源卫片执法遥感监测服务",
            "B 地质灾害监测预警系统建设项目",
        ],
    ),
    (
        "市生态环境局",
        "生态环境",
        ["生态环境监测数据平台", "排污许可管理系统"],
        [
            "B+ 生态环境智慧监测监控平台建设项目",
            "S 大气污染源解析服务",
            "U^2 排污许可管理系统升级改造项目",
            "S 碳排放数据核查服务",
            "B 机动车尾气遥感监测系统建设项目",
        ],
    ),
    (
        "市住房和城乡建设局",
        "住房城乡建设",
        ["建筑市场监管与诚信信息平台", "房屋交易与产权管理系统"],
        [
            "B+ 城市信息模型（CIM）基础平台建设项目 @公共支撑平台类",
            "B 老旧小区改造项目智能化（信息化）部分",
            "U^2 房屋交易与产权管理系统升级改造项目",
            "S 城市体检数据采集服务",
        ],
    ),
    (
        "市交通运输局",
        "交通运输",
        ["交通运输综合监管平台", "出租汽车网约车监管系统", "城市公交智能调度系统"],
        [
            "B 国省干线公路改造工程配套智能交通信息化部分",
            "B+-2 交通运输数据资源中心建设项目",
            "S 公交出行信息服务采购",
            "U^1 交通运输综合监管平台升级改造项目",
            "B 公路养护管理系统建设项目",
        ],
    ),
    (
        "市水利局",
        "水利",
        ["水资源管理信息系统", "水旱灾害防御指挥系统"],
        [
            "B+ 数字孪生流域（黄河鄂尔多斯段）建设项目",
            "S 河湖遥感监测服务",
            "U^1 水资源管理信息系统升级改造项目",
            "B 水土保持监测系统建设项目",
        ],
    ),
    (
        "市农牧局",
        "农牧",
        ["动物疫病防控信息系统", "农畜产品质量安全追溯系统"],
        [
            "B+ 智慧农牧业大数据平台建设项目",
            "S 高标准农田建设监测服务",
            "U^1 动物疫病防控信息系统升级改造项目",
        ],
    ),
    (
        "市商务局",
        "商务",
        ["商务运行监测系统", "电子商务公共服务平台"],
        ["B+ 外贸综合服务数字化平台建设项目", "S 商贸流通数据监测服务"],
    ),
    (
        "市文化和旅游局",
        "文化旅游",
        ["公共文化云平台", "智慧文旅服务平台"],
        [
            "B+ 文物安全监管平台建设项目",
            "U^1 公共文化云平台升级改造项目",
            "S 文旅市场大数据分析服务",
        ],
    ),
    (
        "市卫生健康委员会",
        "卫生健康",
        ["全民健康信息平台", "基层医疗卫生机构管理信息系统"],
        [
            "U^1-3 全民健康信息平台升级改造项目",
            "B+ 智慧急救（120）调度指挥系统建设项目 #院前急救",
            "B+ 互联网医疗服务监管平台建设项目",
            "B 传染病监测预警与应急指挥系统建设项目 #疾病预防控制",
            "B 市中心医院新院区建设工程信息化部分",
            "S 电子健康档案数据治理服务",
            "S 医学影像云服务采购项目",
        ],
    ),
    (
        "市退役军人事务局",
        "退役军人服务",
        ["退役军人服务保障信息平台"],
        ["B+ 退役军人就业创业服务平台建设项目", "S 退役军人信息采集核查服务"],
    ),
    (
        "市应急管理局",
        "应急管理",
        ["应急管理综合应用平台", "危险化学品安全生产风险监测预警系统"],
        [
            "B+ 应急指挥一张图平台建设项目",
            "B 森林草原防灭火指挥调度系统建设项目 #防灭火",
            "U 应急指挥通信保障系统升级改造项目",
            "B 矿山安全风险监测预警平台建设项目 #安全生产",
            "S 安全生产执法辅助服务",
        ],
    ),
    (
        "市审计局",
        "审计",
        ["审计数据分析系统"],
        ["U^1 审计数据分析系统功能升级项目", "B 大数据审计分析室建设项目"],
    ),
    (
        "市国有资产监督管理委员会",
        "国资监管",
        ["国有资产在线监管系统"],
        ["U^1 国有资产在线监管系统数字化升级改造项目", "S 国有企业财务数据治理服务"],
    ),
    (
        "市市场监督管理局",
        "市场监管",
        ["智慧市场监管平台", "特种设备安全监管系统"],
        [
            "B+ 企业信用信息归集共享平台建设项目 #社会信用",
            "U^2-1 特种设备安全监管系统升级改造项目",
            "S 食品安全抽检数据分析服务",
            "B 知识产权公共服务平台建设项目",
            "S 12315投诉举报数据分析服务",
        ],
    ),
    (
        "市体育局",
        "体育",
        ["全民健身公共服务平台"],
        ["B+ 智慧体育场馆管理系统建设项目", "S 国民体质监测数据服务"],
    ),
    (
        "市统计局",
        "统计",
        ["统计数据采集处理系统"],
        ["B+ 统计数据资源管理平台建设项目", "S 经济普查数据处理服务"],
    ),
    (
        "市林业和草原局",
        "林业草原",
        ["森林草原防火监测预警系统", "林草资源管理信息系统"],
        [
            "B+ 林草生态感知监测平台建设项目 #生态环境",
            "U^1 森林草原防火监测预警系统升级改造项目",
            "S 林草湿荒普查遥感解译服务",
        ],
    ),
    (
        "市医疗保障局",
        "医疗保障",
        ["医疗保障信息平台", "医保基金智能监管系统", "医保药品追溯系统"],
        [
            "U^2-1 医保基金智能监管系统升级改造",
            "U^1 医保信息平台国家接口改造项目",
            "B+ 医保电子处方流转平台建设项目",
            "S 医保移动支付服务采购",
            "B 医保数据安全防护体系建设项目",
        ],
    ),
    (
        "市能源局",
        "能源",
        ["能源经济运行监测系统"],
        ["B+ 煤矿智能化建设监管平台建设项目", "S 能源数据采集服务"],
    ),
    (
        "市城市管理综合执法局",
        "城市管理",
        ["数字城管平台", "市政设施管理系统"],
        [
            "B+ 城市应急指挥一张图平台建设 #应急管理",
            "B 城市运行管理服务平台建设项目",
            "U^1-1 数字城管平台升级改造项目",
            "S 城市部件普查服务",
            "B 生活垃圾分类监管系统建设项目",
        ],
    ),
    ("市信访局", "信访", ["网上信访信息系统"], ["B+ 信访矛盾纠纷多元化解平台建设项目"]),
    (
        "市住房公积金管理中心",
        "住房公积金",
        ["住房公积金综合业务系统"],
        ["U^1 住房公积金综合业务系统升级改造项目", "S 公积金数据共享核验服务"],
    ),
    (
        "市公共资源交易中心",
        "公共资源交易",
        ["公共资源电子交易平台", "远程异地评标系统"],
        ["B 公共资源交易区块链存证系统建设项目", "U^1 公共资源电子交易平台升级改造项目"],
    ),
]
# Banners/districts: (unit suffix, systems, projects); the unit is "<banner><suffix>".
DISTRICTS: list[tuple[str, list[tuple[str, list[str], list[str]]]]] = [
    (
        "东胜区",
        [
            (
                "政务服务与数据管理局",
                ["东胜区基层治理综合信息平台"],
                ["U^1 东胜区基层治理综合信息平台升级改造项目", "S 东胜区政务服务一网通办延伸服务"],
            ),
            ("教育局", [], ["B 东胜区智慧校园提升工程"]),
            ("城市管理综合执法局", [], ["B 东胜区智慧停车管理平台建设项目"]),
            ("卫生健康委员会", [], ["S 东胜区基层医疗机构云HIS服务采购项目"]),
        ],
    ),
    (
        "康巴什区",
        [
            (
                "政务服务与数据管理局",
                ["康巴什区城市运行监测平台"],
                ["B 康巴什区城市运行一网统管分中心建设项目"],
            ),
            ("住房和城乡建设局", [], ["B 康巴什区智慧社区综合服务平台建设项目"]),
            ("卫生健康委员会", [], ["S 康巴什区家庭医生签约服务信息化采购项目"]),
        ],
    ),
    (
        "达拉特旗",
        [
            (
                "政务服务与数据管理局",
                [],
                ["B 达拉特旗数字乡村综合服务平台建设项目", "S 达拉特旗政务数据治理服务"],
            ),
            ("农牧局", [], ["B 达拉特旗现代农业产业园物联网监测项目"]),
            ("教育局", [], ["S 达拉特旗中小学智慧课堂设备租赁服务"]),
        ],
    ),
    (
        "准格尔旗",
        [
            ("政务服务与数据管理局", ["准格尔旗政务服务平台"], ["S 准格尔旗政务云资源租赁服务"]),
            ("能源局", [], ["B+ 准格尔旗煤矿安全生产智能监管平台建设项目 #煤矿安全监管"]),
            ("交通运输局", [], ["B 准格尔旗煤炭运输车辆智能监管系统建设项目"]),
            ("应急管理局", ["准格尔旗应急广播系统"], ["U^1 准格尔旗应急广播系统升级改造项目"]),
        ],
    ),
    (
        "鄂托克前旗",
        [
            ("政务服务与数据管理局", [], ["B 鄂托克前旗政务服务自助终端部署项目"]),
            ("农牧局", [], ["S 鄂托克前旗草原生态保护补奖数据核查服务"]),
            ("文化和旅游局", [], ["B 鄂托克前旗城川红色旅游数字展陈项目"]),
        ],
    ),
    (
        "鄂托克旗",
        [
            (
                "政务服务与数据管理局",
                ["鄂托克旗政务服务平台"],
                ["B 鄂托克旗一网通办苏木镇延伸项目"],
            ),
            ("林业和草原局", [], ["B 鄂托克旗森林草原防火视频监控项目"]),
            ("应急管理局", [], ["B 鄂托克旗危险化学品企业安全风险监测项目"]),
        ],
    ),
    (
        "杭锦旗",
        [
            (
                "政务服务与数据管理局",
                ["杭锦旗电子政务外网"],
                ["U^1 杭锦旗电子政务外网升级改造项目"],
            ),
            ("水利局", [], ["B 杭锦旗黄河灌区用水计量监测系统建设项目"]),
            ("文化和旅游局", [], ["B 杭锦旗库布其沙漠智慧景区建设项目"]),
            ("林业和草原局", [], ["S 杭锦旗库布其沙漠治理遥感监测服务"]),
        ],
    ),
    (
        "乌审旗",
        [
            (
                "政务服务与数据管理局",
                ["乌审旗基层治理网格化管理平台"],
                ["U^1 乌审旗基层治理网格化管理平台升级项目"],
            ),
            ("卫生健康委员会", [], ["B 乌审旗紧密型医共体信息化建设项目"]),
            ("住房和城乡建设局", [], ["B 乌审旗城镇燃气安全监测预警系统建设项目"]),
        ],
    ),
    (
        "伊金霍洛旗",
        [
            (
                "政务服务与数据管理局",
                ["伊金霍洛旗数字政府综合门户"],
                ["S 伊金霍洛旗政务数据共享交换服务"],
            ),
            ("教育局", [], ["U 伊金霍洛旗教育信息化提升改造项目"]),
            ("文化和旅游局", [], ["B 伊金霍洛旗成吉思汗陵景区智慧导览项目"]),
            ("民政局", [], ["B 伊金霍洛旗智慧养老服务平台建设项目"]),
        ],
    ),
]
# Parks: (park, host banner, projects); the unit is "<park>管理委员会".
PARKS: list[tuple[str, str, list[str]]] = [
    (
        "鄂尔多斯高新技术产业开发区",
        "康巴什区",
        [
            "B 高新区智慧园区综合管理平台建设项目 #园区管理",
            "S 高新区企业服务云平台租赁服务 #园区管理",
        ],
    ),
    (
        "鄂尔多斯空港物流园区",
        "伊金霍洛旗",
        [
            "B 空港物流园区跨境电商公共服务平台建设项目 #商务",
            "B 空港物流园区智慧安防系统建设项目 #园区管理",
        ],
    ),
    (
        "准格尔经济开发区",
        "准格尔旗",
        [
            "B 准格尔经济开发区安全生产风险监测预警平台建设项目 #安全生产",
            "U 准格尔经济开发区封闭化管理系统升级项目 #园区管理",
        ],
    ),
    (
        "鄂托克经济开发区",
        "鄂托克旗",
        [
            "B 鄂托克经济开发区危险化学品运输车辆监管系统建设项目 #安全生产",
            "S 鄂托克经济开发区环境监测数据服务 #生态环境",
        ],
    ),
    ("达拉特经济开发区", "达拉特旗", ["B 达拉特经济开发区数字化园区平台建设项目 #园区管理"]),
    ("苏里格经济开发区", "乌审旗", ["B 苏里格经济开发区智慧化工园区建设项目 #园区管理"]),
    ("上海庙经济开发区", "鄂托克前旗", ["S 上海庙经济开发区能耗在线监测服务 #能源"]),
]
DISTRICT_DOMAIN = {
    "政务服务与数据管理局": "政务服务",
    "教育局": "教育",
    "卫生健康委员会": "卫生健康",
    "城市管理综合执法局": "城市管理",
    "住房和城乡建设局": "住房城乡建设",
    "农牧局": "农牧",
    "能源局": "能源",
    "交通运输局": "交通运输",
    "应急管理局": "应急管理",
    "文化和旅游局": "文化旅游",
    "林业和草原局": "林业草原",
    "水利局": "水利",
    "民政局": "民政",
}


def S(total: float | None = None, **kw: object) -> dict[str, object]:
    """Pinned values of one project; short keyword aliases for the contract keys."""
    alias = {
        "orig": "original_investment",
        "months": "construction_months",
        "request": "request_amount",
        "infra": "is_infrastructure",
        "cross": "cross_department",
        "simple": "simple_content",
        "llf": "like_for_like",
        "embedded": "embedded_in_other_project",
        "warranty": "warranty_months",
        "funding": "funding_source",
        "ex_ante": "ex_ante_evaluation",
        "pre": "pre_review",
        "catalog": "has_data_catalog",
        "deps": "depends_on",
    }
    out: dict[str, object] = {} if total is None else {"total_investment": total}
    for key, value in kw.items():
        out[alias.get(key, key)] = (YES if value else NO) if isinstance(value, bool) else value
    return out


SPECIAL: dict[str, dict[str, object]] = {
    # 第一条: upgrade ≤ 15 % of the original investment and ≤ 100 万 → managed as O&M.
    "社会保障卡一卡通服务平台功能升级改造项目": S(45, orig=300),  # exactly 15 %
    "住房公积金综合业务系统升级改造项目": S(100, orig=800),  # exactly 100 万 (12.5 %)
    "审计数据分析系统功能升级项目": S(28.5, orig=260),
    "社会救助信息系统升级改造项目": S(60.04, orig=400),  # 15.01 %: stays 建设类
    "不动产登记信息管理平台升级改造项目": S(100.01, orig=1000),  # 100.01 万: stays 建设类
    # 第十五条: approval routes.
    "婚姻登记档案数字化建设项目": S(12.8, months=3),
    "行政复议案件管理系统云服务采购": S(29.99, months=3),
    "经济普查数据处理服务": S(30, months=4),
    "大气污染源解析服务": S(100, months=6),  # also 第二十四条 exactly 6 months
    "工业互联网标识解析公共服务平台建设项目": S(450, simple=True, months=10),
    "重点项目全生命周期调度平台建设项目": S(1000, simple=True, months=12),
    "交通运输数据资源中心建设项目": S(1000.01, simple=True, months=18),
    "预算管理一体化系统升级改造项目": S(
        600, orig=2400, llf=True, months=12, funding="自治区数字政府专项资金"
    ),
    "医保信息平台国家接口改造项目": S(320, orig=1800, mandated=True, months=6),
    "传染病监测预警与应急指挥系统建设项目": S(
        1500, mandated=True, months=18, funding="中央预算内投资"
    ),
    "政务云（信创云）扩容项目": S(1800, orig=6800, months=8, cross=True),
    "数字孪生流域（黄河鄂尔多斯段）建设项目": S(1350, months=18, funding="超长期特别国债资金"),
    # 第二十六条: supervision above 200 万.
    "智慧人社经办服务平台建设项目": S(200, months=12),
    "国土空间规划实施监督系统建设项目": S(200.01, months=12),
    # 第二十三条: construction period.
    "化工园区安全风险智能化管控平台建设项目": S(800, months=30, cross=False),
    "教育督导评估信息系统建设项目": S(450, months=28, cross=False),
    "城市智能体公共支撑平台二期": S(2600, months=30, cross=False),
    "城市运行管理服务平台建设项目": S(
        1200, months=36, cross=True, deps=["城市智能体公共支撑平台二期"]
    ),
    "矿山安全风险监测预警平台建设项目": S(3200, months=40),
    "地质灾害监测预警系统建设项目": S(900, months=24, cross=False),
    "全民健康信息平台升级改造项目": S(2000, orig=5200, months=30, cross=False),
    "市级政务数据中心（灾备中心）机房建设项目": S(2200, months=30, infra=True),
    # 第二十四条 deployment > 6 months; 第二十三、二十四条 warranty < 1 year.
    "自然资源卫片执法遥感监测服务": S(months=9),
    "林草湿荒普查遥感解译服务": S(months=12),
    "知识产权公共服务平台建设项目": S(warranty=6),
    "公交出行信息服务采购": S(warranty=9),
    # 第二十五条: O&M response worse than 2 h / 24 h / 48 h.
    "交通运输综合监管平台运维服务项目": S(hours=(4, 24, 48)),
    "公共文化云平台运维服务项目": S(hours=(2, 48, 72)),
    "数字城管平台运维服务项目": S(hours=(8, 72, 96)),
    # 第三十四条 / dependencies.
    "政务区块链基础平台建设项目": S(ex_ante="暂缓执行"),
    "公共资源交易区块链存证系统建设项目": S(deps=["政务区块链基础平台建设项目"]),
    "智慧警务视频解析平台建设项目": S(1280, months=18, deps=["全市视频资源共享平台建设项目"]),
    "医保电子处方流转平台建设项目": S(deps=["医保信息平台国家接口改造项目"]),
    "智慧急救（120）调度指挥系统建设项目": S(deps=["全民健康信息平台升级改造项目"]),
    "应急指挥一张图平台建设项目": S(
        580,
        months=10,
        deps=["城市智能体公共支撑平台二期"],
        summary=(
            "整合全市应急资源、风险隐患、救援队伍和物资储备数据，建设应急指挥一张图，"
            "实现突发事件监测预警、指挥调度和辅助决策。"
        ),
    ),
    "康巴什区城市运行一网统管分中心建设项目": S(deps=["城市智能体公共支撑平台二期"]),
    # 第五条: near-duplicate submissions from different units.
    "城市应急指挥一张图平台建设": S(
        460,
        months=10,
        summary=(
            "整合城市应急资源、风险隐患、救援队伍和物资储备数据，建设城市应急指挥一张图，"
            "实现城市突发事件监测预警和指挥调度。"
        ),
    ),
    "企业信用信息归集与共享平台建设项目": S(
        summary=(
            "归集全市企业信用信息，建设企业信用信息归集与共享平台，实现信用信息共享、信用评价和联合奖惩。"
        )
    ),
    "企业信用信息归集共享平台建设项目": S(
        summary=(
            "归集全市企业登记、许可、处罚等信用信息，建设企业信用信息归集共享平台，实现信用分级分类监管。"
        )
    ),
    "校园安全视频监控联网平台建设项目": S(
        summary=(
            "建设校园安全视频监控联网平台，实现全市中小学校园视频监控联网、异常行为预警和一键报警。"
        )
    ),
    "中小学校园安全视频监控联网平台建设项目": S(
        summary=(
            "建设中小学校园安全视频监控联网平台，接入全市中小学校园视频监控，实现异常行为预警和一键报警。"
        )
    ),
    # Realistic sizes for the 第三条 domain clashes.
    "生态环境智慧监测监控平台建设项目": S(760, months=12),
    "林草生态感知监测平台建设项目": S(380, months=12),
    # 第十一条 mandated; 第十三条 classified; 第四十六条 parts of other funded projects.
    "大型活动安保指挥调度系统建设项目": S(260, mandated=True, months=6),
    "森林草原防灭火指挥调度系统建设项目": S(680, mandated=True, months=10),
    "公安专网安全防护体系升级改造项目": S(classified="是"),
    "应急指挥通信保障系统升级改造项目": S(classified="部分"),
    "大数据审计分析室建设项目": S(classified="部分"),
    "老旧小区改造项目智能化（信息化）部分": S(65, embedded=True, months=8),
    "国省干线公路改造工程配套智能交通信息化部分": S(100, embedded=True, months=12),
    "市中心医院新院区建设工程信息化部分": S(240, embedded=True, months=18),
}
# Systems behind 第六条第（五）项 (usage) and 第六条第（七）项 (evaluation / early shutdown).
# usage: normal | given (usage_rate filled) | low | break | exact30 | moderate.
SYSTEM_SPECIAL: dict[str, dict[str, str]] = {
    "退役军人服务保障信息平台": {
        "acc": "2026-01-01",
        "usage": "low",
        "note": "终验恰为2026-01-01，一年期满日即参考日，仍在期内",
    },
    "电子商务公共服务平台": {"acc": "2026-01-20", "usage": "low", "note": "连续8个月低于30%"},
    "全民健身公共服务平台": {
        "acc": "2026-03-16",
        "usage": "low",
        "note": "2026-04..09恰好连续6个月低于30%",
    },
    "科技创新资源共享服务平台": {
        "acc": "2026-02-10",
        "usage": "moderate",
        "det": "使用率不高",
        "det_date": "2026-09-10",
        "note": "计算值不低于30%，书面结论为使用率不高（以结论为准）",
    },
    "公共法律服务平台": {
        "acc": "2026-01-10",
        "usage": "break",
        "note": "对照：低使用率被2026-05一个不低于30%的月份打断",
    },
    "网上信访信息系统": {
        "acc": "2026-01-05",
        "usage": "exact30",
        "note": "对照：直接填报使用率，每隔数月恰为30%（不算低），无连续6个月",
    },
    "智慧文旅服务平台": {
        "acc": "2025-12-31",
        "usage": "low",
        "note": "对照：使用率低，但终验2025-12-31，一年期已于2026-12-31届满",
    },
    "统计数据采集处理系统": {
        "acc": "2026-01-25",
        "usage": "low",
        "det": "正常",
        "det_date": "2026-09-15",
        "note": "对照：计算值连续低于30%，书面结论为正常（以结论为准）",
    },
    "12345政务服务便民热线系统": {
        "acc": "2026-02-28",
        "usage": "normal",
        "note": "对照：2026年终验，使用正常",
    },
    "国有资产在线监管系统": {
        "acc": "2023-11-20",
        "perf": "不通过",
        "eval": "2026-05-20",
        "note": "2026年绩效评价不通过",
    },
    "建筑市场监管与诚信信息平台": {
        "acc": "2024-04-18",
        "perf": "不通过",
        "eval": "2026-03-18",
        "note": "2026年绩效评价不通过",
    },
    "能源经济运行监测系统": {
        "acc": "2022-08-30",
        "perf": "不通过",
        "eval": "2024-06-12",
        "note": "对照：不通过的评价在2024年，不影响2027年度",
    },
    "农畜产品质量安全追溯系统": {
        "acc": "2024-09-20",
        "status": "停用",
        "disc": "2026-04-30",
        "note": "建成后两年内（2026年）停用",
    },
    "水旱灾害防御指挥系统": {
        "acc": "2024-03-15",
        "status": "停用",
        "disc": "2026-03-15",
        "note": "终验后恰满两年停用（两年以内，含本数）",
    },
    "教育资源公共服务平台（旧版）": {
        "acc": "2023-05-10",
        "status": "停用",
        "disc": "2026-02-28",
        "note": "对照：2026年停用，但已建成两年以上",
    },
    "远程异地评标系统": {
        "acc": "2024-01-15",
        "status": "停用",
        "disc": "2025-06-30",
        "note": "对照：两年内停用，但发生在2025年，不是计划年度的上一年",
    },
    "劳动保障监察系统（旧版）": {"acc": "2019-05-20", "status": "停用", "disc": "2023-12-31"},
    "养老机构管理系统（旧版）": {"acc": "2020-08-26", "status": "停用", "disc": "2024-06-30"},
    "政务信息化项目全生命周期管理系统": {"status": "在建"},
    "城市公交智能调度系统": {"status": "在建"},
    "医保药品追溯系统": {"status": "在建"},
    "中小学学籍管理系统": {"usage": "given"},
    "财政电子票据管理系统": {"usage": "given"},
    "特种设备安全监管系统": {"usage": "given"},
    "乌审旗基层治理网格化管理平台": {"usage": "given"},
    "鄂尔多斯市政务云（信创云）平台": {"om": "286"},
    "电子政务外网": {"om": "168"},
}
DUPLICATE_PAIRS = [
    ("应急指挥一张图平台建设项目", "城市应急指挥一张图平台建设"),
    ("企业信用信息归集与共享平台建设项目", "企业信用信息归集共享平台建设项目"),
    ("校园安全视频监控联网平台建设项目", "中小学校园安全视频监控联网平台建设项目"),
]
FEATURES = [
    "数据采集汇聚",
    "业务协同办理",
    "统计分析",
    "监测预警",
    "移动端应用",
    "可视化展示",
    "综合查询",
    "指挥调度",
    "电子档案",
    "考核评价",
    "数据共享接口",
    "智能研判",
]
AREAS = [
    "政务信息基础设施",
    "公共支撑",
    "数据资源",
    "共性应用",
    "政务服务",
    "跨部门跨层级共建共享",
    "整合分级分散业务系统",
]
LINE = re.compile(r"^([BUS])(\+\d?)?(?:\^(\d))?(-\d)?\s+(\S+)(?:\s+#(\S+))?(?:\s+@(\S+))?$")


def money(x: object) -> str:
    """万元 as a department writes it: plain number, up to two decimals."""
    return f"{float(x):.2f}".rstrip("0").rstrip(".")


def draw_amount(
    rng: np.random.Generator, median: float, sigma: float, lo: float, hi: float
) -> float:
    x = float(rng.lognormal(np.log(median), sigma))
    while not lo <= x <= hi:  # redraw instead of clipping: no pile-up at the bounds
        x = float(rng.lognormal(np.log(median), sigma))
    style = rng.random()
    x = round(x) if style < 0.5 and x >= 10 else round(x, 1 if style < 0.75 else 2)
    return min(max(x, lo), hi)


def add_months(d: date, n: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 + n, 12)
    return date(y, m + 1, min(d.day, 28))


def month_range(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    out, (y, m) = [], first
    while (y, m) <= last:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


# ------------------------------------------------------------------------------- systems, usage
def make_systems(rng: np.random.Generator) -> list[dict[str, str]]:
    owners = [(u, n) for u, _, systems, _ in CITY for n in systems]
    owners += [
        (d + suffix, n) for d, units in DISTRICTS for suffix, systems, _ in units for n in systems
    ]
    span = (date(2025, 9, 30) - date(2019, 3, 1)).days
    rows = []
    for i, (unit, name) in enumerate(owners, start=1):
        sp = SYSTEM_SPECIAL.get(name, {})
        acc = date(2019, 3, 1) + timedelta(days=int(rng.integers(span)))
        acc_s = sp.get("acc", acc.isoformat())
        status = sp.get("status", "运行")
        perf, eval_date = "未评价", ""
        if "perf" in sp:
            perf, eval_date = sp["perf"], sp["eval"]
        elif status != "在建" and rng.random() < 0.8:
            when = add_months(date.fromisoformat(acc_s), int(rng.integers(12, 25)))
            if when <= date(2026, 6, 30):
                perf, eval_date = "通过", when.isoformat()
        rows.append(
            {
                "system_id": f"XT-{i:04d}",
                "name": name,
                "unit": unit,
                "status": status,
                "final_acceptance_date": "" if status == "在建" else acc_s,
                "discontinued_date": sp.get("disc", ""),
                "performance_evaluation": perf,
                "evaluation_date": eval_date,
                "designed_monthly_logins": str(int(rng.integers(8, 300)) * 100),
                "designed_monthly_volume": str(int(rng.integers(4, 300)) * 50),
                "low_usage_determination": sp.get("det", ""),
                "determination_date": sp.get("det_date", ""),
            }
        )
    return rows


def usage_month(rng: np.random.Generator, kind: str, k: int, base: tuple[int, int]) -> dict:
    """One month of usage; k is the month's index after acceptance (0 = first month)."""
    if kind == "given":
        return {"usage_rate": f"{rng.uniform(55, 95):.1f}"}
    if kind == "exact30":  # never 6 months in a row below 30 %; with "≤ 30" it would be low
        return {"usage_rate": money([27.5, 28, 30, 26.5, 29, 25, 30, 28][k % 8])}
    ranges = {
        "low": ((0.08, 0.22), (0.05, 0.18), (50, 65)),
        "moderate": ((0.25, 0.45), (0.2, 0.4), (70, 85)),
        "normal": ((0.55, 1.25), (0.5, 1.2), (82, 98)),
    }
    pick = "normal" if kind == "break" and k == 3 else ("low" if kind == "break" else kind)
    (l0, l1), (v0, v1), (s0, s1) = ranges[pick]
    return {
        "logins": str(round(base[0] * rng.uniform(l0, l1))),
        "business_volume": str(round(base[1] * rng.uniform(v0, v1))),
        "satisfaction": f"{rng.uniform(s0, s1):.1f}",
    }


def make_usage(rng: np.random.Generator, systems: list[dict[str, str]]) -> list[dict[str, str]]:
    rows = []
    for s in systems:
        if not s["final_acceptance_date"]:
            continue
        acc = date.fromisoformat(s["final_acceptance_date"])
        last = LAST_USAGE_MONTH
        if s["discontinued_date"]:
            disc = date.fromisoformat(s["discontinued_date"])
            last = min(last, (disc.year, disc.month - 1) if disc.month > 1 else (disc.year - 1, 12))
        after = (acc.year + (acc.month == 12), acc.month % 12 + 1)
        kind = SYSTEM_SPECIAL.get(s["name"], {}).get("usage", "normal")
        base = (int(s["designed_monthly_logins"]), int(s["designed_monthly_volume"]))
        for k, (y, m) in enumerate(month_range(max((2025, 1), after), last)):
            rows.append(
                {
                    "system_id": s["system_id"],
                    "month": f"{y}-{m:02d}",
                    **usage_month(rng, kind, k, base),
                }
            )
    return rows


# ------------------------------------------------------------------------------------ projects
def summary_of(rng: np.random.Generator, name: str, code: str, domain: str, months: int) -> str:
    what = re.sub("项目$", "", name)
    feats = "、".join(rng.choice(FEATURES, size=3, replace=False))
    if code == "U":
        return f"在已建系统基础上实施{what}，完善{feats}等功能，完成信创适配，提升安全防护能力。"
    if code == "S":
        return f"通过政府购买服务方式开展{what}，服务期内完成{feats}等工作，成果纳入数据资源目录。"
    return (
        f"围绕{domain}业务需要实施{what}，主要建设{feats}等模块，部署于市政务云（信创云），"
        f"与一体化政务数据共享交换平台对接，建设周期{months}个月。"
    )


def priority_areas(rng: np.random.Generator, r: dict[str, str]) -> str:
    areas = {"公共基础设施类": ["政务信息基础设施"], "公共支撑平台类": ["公共支撑"]}.get(
        r["project_type"], []
    )
    if r["domain"] in ("数据资源", "社会信用") or "数据" in r["name"]:
        areas.append("数据资源")
    if r["domain"] == "政务服务":
        areas.append("政务服务")
    if r["cross_department"] == YES:
        areas.append("跨部门跨层级共建共享")
    if r["retired_systems"] != "0":
        areas.append("整合分级分散业务系统")
    if not areas and rng.random() < 0.3:
        areas.append("共性应用")
    return "、".join(sorted(set(areas), key=AREAS.index)[:3])


def make_project(
    rng: np.random.Generator,
    line: str,
    unit: str,
    level: str,
    district: str,
    park: str,
    domain: str,
    unit_systems: list[dict[str, str]],
) -> dict[str, str]:
    match = LINE.match(line)
    assert match, line
    code, plus, sys_k, minus, name, dom, ptype = match.groups()
    sp = SPECIAL.get(name, {})
    small = level != "市本级"
    category = "采购服务类" if code == "S" else "建设类"
    if code == "S":
        total = draw_amount(rng, 60 if small else 100, 1.1, 5, 1500)
        months = int(rng.choice([3, 3, 4, 5, 6, 6]))
    else:
        total = draw_amount(rng, 110 if small else 220, 1.45, 5, 5000)
        months = int(
            rng.choice(
                [3, 4, 6, 6, 8]
                if total <= 100
                else [6, 8, 10, 12, 12, 18]
                if total <= 800
                else [12, 18, 18, 24]
            )
        )
    total = float(sp.get("total_investment", total))
    months = int(sp.get("construction_months", months))
    request = total if months <= 12 else round(total * rng.uniform(0.5, 0.8), int(rng.integers(3)))
    om_share = rng.uniform(0.08, 0.15) if code != "S" else rng.choice([0, rng.uniform(0.03, 0.08)])
    simple = total <= 1000 and rng.random() < (0.5 if code == "S" else 0.3)
    ptype = ptype or (
        "安全类"
        if re.search("安全防护|密码|网络安全|安全风险评估", name)
        else "其他"
        if code == "S" or rng.random() < 0.2
        else "业务平台类"
    )
    original = money(round(total / rng.uniform(0.2, 0.8))) if code == "U" else ""
    related = [s["system_id"] for s in unit_systems[int(sys_k) - 1 : int(sys_k)]] if sys_k else []
    row = {
        "name": name,
        "unit": unit,
        "level": level,
        "district": district,
        "park": park,
        "category": category,
        "is_upgrade": YES if code == "U" else NO,
        "original_investment": original,
        "total_investment": money(total),
        "request_amount": money(sp.get("request_amount", request)),
        "construction_months": str(months),
        "annual_om_cost": money(total * om_share),
        "is_infrastructure": NO,
        "cross_department": YES if rng.random() < 0.12 else NO,
        "mandated": NO,
        "simple_content": YES if simple else NO,
        "pre_review": "通过",
        "ex_ante_evaluation": "可行",
        "has_data_catalog": YES,
        "domain": dom or domain,
        "new_systems": (plus[1:] or "1") if plus else "0",
        "retired_systems": minus[1:] if minus else "0",
        "existing_om": NO,
        "classified": NO,
        "funding_source": "",
        "project_type": ptype,
        "like_for_like": NO,
        "embedded_in_other_project": NO,
        "warranty_months": str(
            rng.choice([12, 12, 24, 24, 24, 36, 36] if code != "S" else [12, 12, 12, 24])
        ),
        "related_systems": "、".join(related),
        "summary": summary_of(rng, name, code, dom or domain, months),
    }
    for key, value in sp.items():
        if key in row:
            row[key] = (
                money(value) if key in ("total_investment", "original_investment") else str(value)
            )
    row["priority_areas"] = priority_areas(rng, row)
    row["_deps"] = sp.get("depends_on", [])
    return row


def make_om(
    rng: np.random.Generator,
    system: dict[str, str],
    level: str,
    district: str,
    park: str,
    ptype: str,
    domain: str,
) -> dict[str, str]:
    name = f"{system['name']}运维服务项目"
    total = float(SYSTEM_SPECIAL.get(system["name"], {}).get("om", 0)) or draw_amount(
        rng, 45, 0.75, 10, 300
    )
    hours = (
        SPECIAL.get(name, {}).get("hours")
        or [(2, 24, 48), (2, 24, 48), (2, 24, 48), (1, 12, 24), (0.5, 8, 24)][rng.integers(5)]
    )
    renewal = system["final_acceptance_date"] < "2024-01-01"
    return {
        "name": name,
        "unit": system["unit"],
        "level": level,
        "district": district,
        "park": park,
        "category": "运维服务类",
        "is_upgrade": NO,
        "original_investment": "",
        "total_investment": money(total),
        "request_amount": money(total),
        "construction_months": "12",
        "annual_om_cost": "0",
        "is_infrastructure": NO,
        "cross_department": NO,
        "mandated": NO,
        "simple_content": NO,
        "pre_review": "通过",
        "ex_ante_evaluation": "可行",
        "has_data_catalog": YES,
        "priority_areas": "",
        "domain": domain,
        "new_systems": "0",
        "retired_systems": "0",
        "existing_om": YES if renewal else NO,
        "classified": NO,
        "funding_source": "",
        "project_type": ptype,
        "like_for_like": NO,
        "embedded_in_other_project": NO,
        "warranty_months": "",
        "om_response_hours": money(hours[0]),
        "om_general_fix_hours": money(hours[1]),
        "om_major_plan_hours": money(hours[2]),
        "related_systems": system["system_id"],
        "_deps": [],
        "summary": (
            f"为{system['name']}提供{PLAN_YEAR}年度运维服务，包括日常巡检、故障处理、"
            "安全加固和数据备份，保障系统稳定运行。"
            if renewal
            else f"{system['name']}质保期满，{PLAN_YEAR}年起委托开展运维服务，保障系统持续稳定运行。"
        ),
    }


def needs_om(rng: np.random.Generator, s: dict[str, str]) -> bool:
    if s["status"] != "运行":
        return False
    forced = f"{s['name']}运维服务项目" in SPECIAL or "om" in SYSTEM_SPECIAL.get(s["name"], {})
    return forced or (s["final_acceptance_date"] < "2025-01-01" and rng.random() < 0.85)


def make_candidates(rng: np.random.Generator, systems: list[dict[str, str]]) -> list[dict]:
    by_unit: dict[str, list[dict[str, str]]] = defaultdict(list)
    for s in systems:
        by_unit[s["unit"]].append(s)
    city, local = [], []
    for unit, domain, _, lines in CITY:
        city += [
            make_project(rng, ln, unit, "市本级", "", "", domain, by_unit[unit]) for ln in lines
        ]
        for s in by_unit[unit]:
            if needs_om(rng, s):
                ptype = (
                    (
                        "公共基础设施类"
                        if "政务云" in s["name"] or "外网" in s["name"]
                        else "公共支撑平台类"
                    )
                    if unit == DC
                    else "业务平台类"
                )
                city.append(make_om(rng, s, "市本级", "", "", ptype, domain))
    for district, units in DISTRICTS:
        for suffix, _, lines in units:
            unit = district + suffix
            local += [
                make_project(
                    rng, ln, unit, "旗区", district, "", DISTRICT_DOMAIN[suffix], by_unit[unit]
                )
                for ln in lines
            ]
            local += [
                make_om(rng, s, "旗区", district, "", "业务平台类", DISTRICT_DOMAIN[suffix])
                for s in by_unit[unit]
                if needs_om(rng, s)
            ]
    for park, host, lines in PARKS:
        local += [
            make_project(rng, ln, park + "管理委员会", "园区", host, park, "园区管理", [])
            for ln in lines
        ]
    for prefix, rows in (("SB", city), ("QQ", local)):
        for i, row in enumerate(rows, start=1):
            row["project_id"] = f"{prefix}{PLAN_YEAR}-{i:04d}"
    ids = {r["name"]: r["project_id"] for r in city + local}
    for r in city + local:
        deps = [ids[n] for n in r.pop("_deps")]
        assert all(d < r["project_id"] or d[:2] != r["project_id"][:2] for d in deps), r["name"]
        r["depends_on"] = "、".join(deps)
    add_defects(rng, city + local, systems)
    return city + local


def add_defects(rng: np.random.Generator, rows: list[dict], systems: list[dict]) -> None:
    """About a third of the rows fail pre-review, ex-ante evaluation or lack a data catalog."""
    pinned_units = {
        s["unit"]
        for s in systems
        if {"usage", "perf", "disc"} & set(SYSTEM_SPECIAL.get(s["name"], {}))
        and SYSTEM_SPECIAL[s["name"]].get("usage") != "given"
    }
    defects = [
        ("pre_review", "未审核"),
        ("pre_review", "不通过"),
        ("ex_ante_evaluation", "暂缓执行"),
        ("ex_ante_evaluation", "不可行"),
        ("ex_ante_evaluation", "未评价"),
        ("has_data_catalog", NO),
        ("pending", ""),
    ]
    for r in rows:
        om = r["category"] == "运维服务类"
        if r["name"] in SPECIAL or r["mandated"] == YES or (r["unit"] in pinned_units and not om):
            continue  # rows pinned for a rule, force-in candidates, 第六条 test rows stay clean
        if rng.random() >= (0.3 if om else 0.68):
            continue
        key, value = defects[
            int(rng.choice(len(defects), p=[0.2, 0.1, 0.17, 0.08, 0.15, 0.15, 0.15]))
        ]
        if key == "pending" or (om and key == "has_data_catalog"):
            r["pre_review"], r["ex_ante_evaluation"] = "未审核", "未评价"
        else:
            r[key] = value


# ------------------------------------------------------------------- what the rules should find
def effective_category(r: dict[str, str]) -> str:
    if r["is_upgrade"] == YES and r["original_investment"]:
        total, orig = D(r["total_investment"]), D(r["original_investment"])
        if total <= orig * D("0.15") and total <= 100:
            return "运维服务类"
    return r["category"]


def approval_route(r: dict[str, str]) -> str:
    total, cat = D(r["total_investment"]), effective_category(r)
    if cat == "运维服务类":
        return "运维方案"
    if total < 30 or (r["embedded_in_other_project"] == YES and total < 100):
        return "备案"  # 第十五条第（二）项; 第四十六条 informatization parts below 100 万
    if total <= 100 or r["mandated"] == YES:
        return "实施方案"
    if total <= 1000 and YES in (r["simple_content"], r["like_for_like"]):
        return "合并可研"
    return "可研+初步设计"


def low_usage_units(systems: list[dict], usage: list[dict]) -> dict[str, list[str]]:
    """unit → systems judged 使用率不高 whose one-year window contains the reference date."""
    base = {s["system_id"]: s for s in systems}
    rates: dict[str, list[tuple[str, D]]] = defaultdict(list)
    for u in usage:
        s = base[u["system_id"]]
        if "usage_rate" in u:
            rate = D(u["usage_rate"])
        else:
            lg = min(D(u["logins"]) / D(s["designed_monthly_logins"]), D(1)) * 100
            vol = min(D(u["business_volume"]) / D(s["designed_monthly_volume"]), D(1)) * 100
            rate = D("0.4") * lg + D("0.4") * vol + D("0.2") * D(u["satisfaction"])
        rates[u["system_id"]].append((u["month"], rate))
    out: dict[str, list[str]] = defaultdict(list)
    for s in systems:
        if not s["final_acceptance_date"]:
            continue
        acc = date.fromisoformat(s["final_acceptance_date"])
        low = s["low_usage_determination"] == "使用率不高"
        if not s["low_usage_determination"]:
            run, prev = 0, None
            for month, rate in rates[s["system_id"]]:
                y, m = map(int, month.split("-"))
                if (y, m) <= (acc.year, acc.month):
                    continue
                cont = prev is not None and y * 12 + m == prev + 1
                run = (run + 1 if cont else 1) if rate < 30 else 0
                prev = y * 12 + m
                low = low or run >= 6
        if low and acc.replace(year=acc.year + 1) >= REFERENCE_DATE:
            out[s["unit"]].append(s["system_id"])
    return out


def failed_units(systems: list[dict]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for s in systems:
        failed = s["performance_evaluation"] == "不通过" and s["evaluation_date"].startswith(
            str(PLAN_YEAR - 1)
        )
        disc, acc = s["discontinued_date"], s["final_acceptance_date"]
        early = disc.startswith(str(PLAN_YEAR - 1)) and date.fromisoformat(
            disc
        ) <= date.fromisoformat(acc).replace(year=int(acc[:4]) + 2)
        if failed or early:
            out[s["unit"]].append(s["system_id"])
    return out


def expected_triggers(rows: list[dict], systems: list[dict], usage: list[dict]) -> dict:
    """Rule number (1–18 of the issue) → project ids (with a short note) it should hit."""
    t: dict[str, list[str]] = defaultdict(list)
    city = [r for r in rows if r["level"] == "市本级"]
    low, failed = low_usage_units(systems, usage), failed_units(systems)
    for r in rows:
        pid, total, cat = r["project_id"], D(r["total_investment"]), effective_category(r)
        if r["is_upgrade"] == YES and cat == "运维服务类":
            t["1"].append(pid)
        if r["name"] in SPECIAL and "total_investment" in SPECIAL[r["name"]]:
            t["2"].append(f"{pid}({money(total)}→{approval_route(r)})")
        if cat != "运维服务类" and total in (D(200), D("200.01")):
            t["3"].append(f"{pid}({money(total)}:{'需' if total > 200 else '不需'}监理)")
        months = int(r["construction_months"])
        if cat == "建设类" and months >= 24:
            ground = total > 2000 or r["cross_department"] == YES
            note = (
                "基础设施豁免"
                if r["is_infrastructure"] == YES
                else "恰2年"
                if months == 24
                else "超3年"
                if months > 36
                else "需专家论证"
                if ground
                else "超2年无延长依据"
            )
            t["4"].append(f"{pid}({months}月{money(total)}万:{note})")
        if cat == "采购服务类" and months > 6:
            t["5"].append(pid)
        if cat != "运维服务类" and r["warranty_months"] and int(r["warranty_months"]) < 12:
            t["6"].append(pid)
        hours = [
            r.get(k, "")
            for k in ("om_response_hours", "om_general_fix_hours", "om_major_plan_hours")
        ]
        if (
            cat == "运维服务类"
            and all(hours)
            and any(D(h) > limit for h, limit in zip(hours, (2, 24, 48), strict=True))
        ):
            t["7"].append(f"{pid}({'/'.join(hours)})")
        if cat == "建设类" and r["is_upgrade"] == NO and r["unit"] in low:
            t["8"].append(f"{pid}({'、'.join(low[r['unit']])})")
        if cat in ("建设类", "采购服务类") and r["unit"] in failed:
            t["9"].append(f"{pid}({'、'.join(failed[r['unit']])})")
        if r["ex_ante_evaluation"] != "可行":
            t["10"].append(f"{pid}({r['ex_ante_evaluation']})")
        if r["pre_review"] != "通过":
            t["11"].append(f"{pid}({r['pre_review']})")
        if cat in ("建设类", "采购服务类") and r["has_data_catalog"] == NO:
            t["12"].append(pid)
        public = r["project_type"] in ("公共基础设施类", "公共支撑平台类")
        if r["level"] == "市本级" and public and r["unit"] != DC:
            t["13"].append(pid)
        if r["level"] != "市本级":
            t["16"].append(pid)
        if r["embedded_in_other_project"] == YES:
            t["17"].append(f"{pid}({money(total)})")
        for key, label in (
            ("mandated", "第十一条"),
            ("existing_om", "续运维"),
            ("classified", "涉密"),
        ):
            if r[key] not in (NO, ""):
                t["18"].append(f"{pid}({label}{'' if r[key] == YES else r[key]})")
    per_unit, per_domain = defaultdict(list), defaultdict(list)
    for r in city:
        if r["new_systems"] != "0":
            per_unit[r["unit"]].append(r)
            per_domain[r["domain"]].append(r)
    for unit, rs in per_unit.items():
        if sum(int(r["new_systems"]) for r in rs) > 1:
            t["14"].append(f"{unit}:" + "+".join(r["project_id"] for r in rs))
    for domain, rs in per_domain.items():
        if len(rs) > 1:
            t["14"].append(f"{domain}:" + "+".join(r["project_id"] for r in rs))
    ids = {r["name"]: r["project_id"] for r in rows}
    t["15"] = [f"{ids[a]}~{ids[b]}" for a, b in DUPLICATE_PAIRS]
    t["2"].sort(key=lambda s: D(s.split("(")[1].split("→")[0]))
    return dict(sorted(t.items(), key=lambda kv: int(kv[0])))


# --------------------------------------------------------------------------------------- output
RULE_TITLES = {
    "1": "第一条 升级改造按运维服务类管理",
    "2": "第十五条 审批方式（钉住金额的项目）",
    "3": "第二十六条 工程监理（200万元边界）",
    "4": "第二十三条 建设周期",
    "5": "第二十四条 部署超6个月",
    "6": "第二十三、二十四条 质保期不足1年",
    "7": "第二十五条 运维响应时限",
    "8": "第六条第（五）项 使用率不高单位的新建项目",
    "9": "第六条第（七）项 绩效未通过/两年内停用单位",
    "10": "第三十四条 事前绩效评价",
    "11": "第八条 前置审核",
    "12": "第十六条 无数据资源目录",
    "13": "第七条 非大数据中心申报公共类项目",
    "14": "第三条 一部门一系统/一领域一平台",
    "15": "第五条 疑似重复投资（不同单位）",
    "16": "第四十三至四十五条 旗区/园区项目",
    "17": "第四十六条 其他财政资金项目中的信息化部分",
    "18": "第十一条强制/第二十五条续运维/第十三条涉密",
}


def write_csv(path: Path, contract: str, rows: list[dict]) -> None:
    with (SCHEMA_DIR / f"{contract}.csv").open(encoding="utf-8", newline="") as fh:
        spec = list(csv.DictReader(fh))
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow([c["header_zh"] for c in spec])
        writer.writerows([[r.get(c["key"], "") for c in spec] for r in rows])


def summarize(
    rows: list[dict], systems: list[dict], usage: list[dict], seed: int, triggers: dict
) -> tuple[str, str]:
    city = [r for r in rows if r["level"] == "市本级"]
    total = sum(D(r["total_investment"]) for r in rows)
    request = sum(D(r["request_amount"]) for r in rows)
    clean = sum(
        r["pre_review"] == "通过"
        and r["ex_ante_evaluation"] == "可行"
        and (r["has_data_catalog"] == YES)
        for r in rows
    )
    cats = {
        c: sum(r["category"] == c for r in rows) for c in ("建设类", "采购服务类", "运维服务类")
    }
    share = clean * 100 // len(rows)
    stats = (
        f"- 申报项目 candidates: {len(rows)}（市本级 {len(city)}，来自 "
        f"{len({r['unit'] for r in city})} 个市直单位；旗区 "
        f"{sum(r['level'] == '旗区' for r in rows)}，"
        f"园区 {sum(r['level'] == '园区' for r in rows)}）\n"
        f"- 项目类型: " + "，".join(f"{k} {v}" for k, v in cats.items()) + "\n"
        f"- 总投资 total investment: {money(total)} 万元；本年度申请 total request: "
        f"{money(request)} 万元（市本级 {money(sum(D(r['request_amount']) for r in city))} 万元）\n"
        f"- 前置审核通过、事前评价可行且有数据资源目录 clean: {clean}（{share}%）\n"
        f"- 已建系统 systems: {len(systems)}；月度使用记录 usage rows: {len(usage)}，"
        f"{len({u['month'] for u in usage})} 个月（{min(u['month'] for u in usage)}"
        f"..{max(u['month'] for u in usage)}）\n"
    )
    table = "\n".join(
        f"| {n} | {RULE_TITLES[n]} | {len(v)} | {'，'.join(v)} |" for n, v in triggers.items()
    )
    hit = {**low_usage_units(systems, usage), **failed_units(systems)}
    systems_table = "\n".join(
        f"| {s['system_id']} | {s['name']} | {s['unit']} | {s['final_acceptance_date']} | "
        f"{SYSTEM_SPECIAL[s['name']]['note']} | "
        f"{YES if s['system_id'] in hit.get(s['unit'], []) else NO} |"
        for s in systems
        if "note" in SYSTEM_SPECIAL.get(s["name"], {})
    )
    readme = README.format(
        seed=seed, stats=stats, table=table, plan_year=PLAN_YEAR, systems_table=systems_table
    )
    return stats, readme


README = """# 鄂尔多斯市政务信息化项目申报样例（合成数据，非真实申报）

## 数据说明

本目录是 {plan_year} 年度计划的**合成**申报数据（合成数据，非真实申报），用于演示和测试。
单位名称、旗区、园区和项目类型参照鄂尔多斯市实际设置，但所有项目、系统、金额、日期、审核结论和
使用数据均由脚本随机生成，不代表任何单位的真实申报或真实系统运行情况。

This directory is a **synthetic** intake for the {plan_year} annual plan (not real submissions),
made for demonstrations and tests. Unit, banner and park names are real; every project, system,
amount, date, review conclusion and usage figure is invented.

## 生成方式 How it was generated

    python scripts/make_sample.py --seed {seed}

`scripts/make_sample.py` uses `numpy.random.default_rng({seed})`; running it twice gives
byte-identical files (`tests/test_sample_data.py` checks this). Do not edit the files by hand:
change the script and regenerate.

## 内容 Contents

- `candidates.csv`: 申报项目（表头见 `workbench/intake/schema/candidates.csv` 的中文表头）
- `systems.csv`: 已建系统登记（`schema/systems.csv`）
- `usage.csv`: 系统月度使用情况（`schema/usage.csv`），统计至 2026-09（计划审核时
  市数据局汇总的数据）；2025 年前终验的系统从 2025-01 起，之后终验的系统从终验次月起。

{stats}
参考日 reference date: {plan_year}-01-01（计划年度首日）。金额单位万元；多值以“、”分隔。

## 规则触发样例 Rows that trigger each rule

Recomputed by the script from the written rows (`expected_triggers`). Notes in brackets: amount
→ approval route, months, the system ids behind 第六条, the conclusion.

| # | 规则 | 数量 | 项目编号 |
|---|---|---|---|
{table}

第一条: exactly 15 % and exactly 100 万 are O&M; 15.01 % and 100.01 万 stay 建设类.

### 第六条第（五）、（七）项所涉系统 Systems behind 第六条 (controls included)

| 系统编号 | 系统名称 | 所属单位 | 终验 | 情形 | 该单位被限制 |
|---|---|---|---|---|---|
{systems_table}
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    systems = make_systems(rng)
    usage = make_usage(rng, systems)
    rows = make_candidates(rng, systems)
    triggers = expected_triggers(rows, systems, usage)
    for n in map(str, range(1, 19)):
        assert len(triggers.get(n, [])) >= 2, f"rule {n} is triggered fewer than twice"
    args.out.mkdir(parents=True, exist_ok=True)
    rows.sort(key=lambda r: r["project_id"])
    write_csv(args.out / "candidates.csv", "candidates", rows)
    write_csv(args.out / "systems.csv", "systems", systems)
    write_csv(args.out / "usage.csv", "usage", usage)
    stats, readme = summarize(rows, systems, usage, args.seed, triggers)
    (args.out / "README.md").write_text(readme, encoding="utf-8")
    print(stats)
    for n, ids in triggers.items():
        print(f"{n:>2} {RULE_TITLES[n]}: {'，'.join(ids)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
