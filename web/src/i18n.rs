//! Interface texts in English and Chinese. Keys are the element ids or short names; a key
//! without a translation shows itself, so a missing text is visible, never blank.

use crate::model::Lang;

/// The text for `key` in `lang`.
pub fn t(lang: Lang, key: &str) -> &str {
    let (en, zh) = match key {
        "title" => ("crossquote", "crossquote 跨境报价"),
        "tab-retail" => ("Retail quote (B2C)", "零售报价 (B2C)"),
        "tab-wholesale" => ("Wholesale quote (B2B)", "批发报价 (B2B)"),
        "lang" => ("中文", "English"),
        "platform" => ("Platform", "平台"),
        "country" => ("Destination", "目的国"),
        "cost" => ("Purchase cost (CNY)", "采购成本 (元)"),
        "packaging" => ("Packaging (CNY)", "包装费 (元)"),
        "weight" => ("Weight (kg)", "重量 (公斤)"),
        "length" => ("Length (cm)", "长 (厘米)"),
        "width" => ("Width (cm)", "宽 (厘米)"),
        "height" => ("Height (cm)", "高 (厘米)"),
        "service" => ("Shipping service", "物流渠道"),
        "cheapest" => ("Cheapest", "最便宜"),
        "margin" => ("Profit margin %", "利润率 %"),
        "promotion" => ("Promotion discount % (optional)", "促销折扣 % (可选)"),
        "ending" => ("Price ending", "价格尾数"),
        "ending-none" => ("To the cent", "精确到分"),
        "ending-whole" => ("Whole units", "整数"),
        "price" => ("Price", "售价"),
        "list-price" => ("List price before the promotion", "促销前标价"),
        "break-even" => ("Break-even", "保本价"),
        "markup" => ("Markup", "成本加成"),
        "free-shipping" => ("Free shipping folded in", "包邮 (运费已计入)"),
        "days" => ("days", "天"),
        "breakdown" => ("Breakdown", "价格构成"),
        "in-seller" => ("In CNY at", "折合人民币, 汇率"),
        "total" => ("Total", "合计"),
        "fix-fields" => ("Fix the fields marked in red.", "请修改标红的栏目。"),
        "w-term" => ("Incoterm", "贸易术语"),
        "w-quantity" => ("Quantity (units)", "数量 (件)"),
        "w-currency" => ("Quote currency", "报价币种"),
        "w-cost" => ("Unit cost incl. VAT (CNY)", "含税采购价 (元)"),
        "w-vat" => ("VAT %", "增值税率 %"),
        "w-rebate" => ("Export rebate %", "出口退税率 %"),
        "w-fees" => ("Domestic fees per shipment (CNY)", "国内费用/票 (元)"),
        "w-freight" => ("Freight per shipment", "运费/票"),
        "w-insurance" => ("Insurance rate %", "保险费率 %"),
        "w-profit" => ("Profit on price %", "预期利润率 %"),
        "w-bank" => ("Bank charges %", "银行费用 %"),
        "w-commission" => ("Commission %", "佣金率 %"),
        "w-tiers" => ("Tiers (quantity:discount %)", "阶梯价 (数量:折扣%)"),
        "w-min-margin" => ("Least margin for tiers %", "阶梯最低利润率 %"),
        "fx-cost" => ("FX cost (CNY per unit of income)", "换汇成本"),
        "profit-rate" => ("Export profit rate", "出口盈亏率"),
        "tier-table" => ("Quantity tiers", "数量阶梯报价"),
        "qty" => ("Quantity", "数量"),
        "unit-price" => ("Unit price", "单价"),
        "notice-restored" => ("Saved inputs could not be used; defaults are loaded and the old data is kept as a backup in this browser:", "保存的数据无法使用, 已载入默认值, 旧数据已备份在本浏览器:"),
        "dismiss" => ("OK", "知道了"),
        "line-purchase" => ("Purchase cost", "采购成本"),
        "line-packaging" => ("Packaging", "包装费"),
        "line-shipping" => ("Shipping", "运费"),
        "line-freight" => ("Freight", "海运/空运费"),
        "line-fx-reserve" => ("FX risk reserve", "汇率风险准备"),
        "line-profit" => ("Profit", "利润"),
        "tab-reply" => ("Reply", "回复买家"),
        "r-scenario" => ("Scenario", "场景"),
        "bargain_quantity" => ("Quantity discount", "数量折扣"),
        "no_discount_gift" => ("No discount, a gift", "不降价, 送小礼品"),
        "counter_offer" => ("Buyer's offer", "买家还价"),
        "shipping_free" => ("Free shipping", "包邮"),
        "unpaid_reminder" => ("Unpaid order reminder", "催付款"),
        "lots" => ("Sold in lots", "按批出售"),
        "payment_methods" => ("Payment methods", "付款方式"),
        "import_duties" => ("Import duties", "进口关税"),
        "instalments" => ("Instalments", "分期付款"),
        "wholesale_letter" => ("Wholesale quotation letter", "批发报价函"),
        "r-name" => ("Buyer's name", "买家姓名"),
        "r-greeting" => ("Their greeting (Dear…, Hi…)", "买家的称呼方式"),
        "r-buyer" => ("Buyer", "买家类型"),
        "buyer-first" => ("First inquiry", "首次询价"),
        "buyer-returning" => ("Returning buyer", "老客户"),
        "r-language" => ("Reply language", "回复语言"),
        "language-market" => ("The market's", "按目的国"),
        "r-channel" => ("Channel", "渠道"),
        "channel-letter" => ("Message / e-mail", "站内信/邮件"),
        "channel-im" => ("Instant message", "即时聊天"),
        "r-layout" => ("Layout", "格式"),
        "layout-block" => ("Block", "齐头式"),
        "layout-indented" => ("Indented", "缩进式"),
        "layout-semi-block" => ("Semi-block", "混合式"),
        "r-quantity" => ("Pieces", "件数"),
        "r-discount" => ("Discount %", "折扣 %"),
        "r-offer" => ("Buyer's offer per piece", "买家出价/件"),
        "r-floor" => ("Least margin %", "最低利润率 %"),
        "r-days" => ("Promotion days", "促销天数"),
        "r-stock" => ("Pieces in stock", "库存件数"),
        "r-lot" => ("Pieces per lot", "每批件数"),
        "r-lead" => ("Lead time (days)", "交期 (天)"),
        "r-valid" => ("Valid until (YYYY-MM-DD)", "有效期至"),
        "r-seller" => ("Signature", "签名"),
        "buyer-time" => ("Buyer's local time", "买家当地时间"),
        "buyer-awake" => ("awake: an instant message is fine", "对方醒着, 可以即时聊天"),
        "buyer-asleep" => ("asleep: send a full message to read later", "对方在休息, 建议发完整消息"),
        "copy" => ("Copy reply", "复制回复"),
        "copied" => ("Copied", "已复制"),
        "copy-failed" => ("Could not copy: select the text instead", "复制失败, 请手动选择文字"),
        "agent-check" => ("中文 for the agent to check", "中文对照 (供客服核对)"),
        "print" => ("Print the proforma invoice", "打印形式发票"),
        "proforma" => ("Proforma invoice", "形式发票"),
        "item" => ("Item", "品名"),
        "amount" => ("Amount", "金额"),
        "goods" => ("Goods as quoted", "报价商品"),
        "terms" => ("Terms", "条款"),
        "crashed" => ("crossquote stopped. Reload the page to start again.", "crossquote 出错停止, 请刷新页面。"),
        _ => return key,
    };
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_used_key_has_both_texts() {
        for key in ["title", "price", "w-term", "tier-table", "notice-restored", "cost", "service"]
        {
            assert!(!t(Lang::En, key).is_empty(), "{key}");
            assert!(!t(Lang::Zh, key).is_empty(), "{key}");
            assert_ne!(t(Lang::En, key), t(Lang::Zh, key), "{key}");
        }
        assert_eq!(t(Lang::Zh, "no-such-key"), "no-such-key");
    }
}
