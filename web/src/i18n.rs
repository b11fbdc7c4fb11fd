//! Interface texts in English and Chinese. Keys are the element ids or short names; a key
//! without a translation shows itself, so a missing text is visible, never blank.

use std::borrow::Cow;

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
        "other" => ("Other costs (CNY)", "其他成本 (元)"),
        "weight" => ("Weight (kg)", "重量 (公斤)"),
        "length" => ("Length (cm)", "长 (厘米)"),
        "width" => ("Width (cm)", "宽 (厘米)"),
        "height" => ("Height (cm)", "高 (厘米)"),
        "service" => ("Shipping service", "物流渠道"),
        "cheapest" => ("Cheapest", "最便宜"),
        "margin" => ("Profit margin %", "利润率 %"),
        "margin-out" => ("Profit margin", "利润率"),
        "promotion" => ("Promotion discount % (optional)", "促销折扣 % (可选)"),
        "ending" => ("Price ending", "价格尾数"),
        "ending-none" => ("To the cent", "精确到分"),
        "ending-whole" => ("Whole units", "整数"),
        "price" => ("Price", "售价"),
        "list-price" => ("List price before the promotion", "促销前标价"),
        "break-even" => ("Break-even", "保本价"),
        "free-shipping" => ("Free shipping folded in", "包邮 (运费已计入)"),
        "days" => ("days", "天"),
        "breakdown" => ("Breakdown", "价格构成"),
        "in-seller" => ("In CNY at", "折合人民币, 汇率"),
        "total" => ("Total", "合计"),
        "fix-fields" => ("Fix the fields marked in red.", "请修改标红的栏目。"),
        "w-term" => ("Incoterm", "贸易术语"),
        "w-currency" => ("Quote currency", "报价币种"),
        "w-fees" => ("Domestic fees per shipment (CNY)", "国内费用/票 (元)"),
        "w-freight" => ("Freight for the shipment", "整票运费"),
        "w-wm-rate" => ("Ocean freight per freight ton (W/M 1:1, least 1)", "海运费/计费吨 (W/M 1:1, 最低 1)"),
        "w-insurance" => ("Insurance rate %", "保险费率 %"),
        "packing" => ("Packing", "包装"),
        "gross" => ("G.W.", "毛重"),
        "last-carton" => ("last carton", "尾箱"),
        "wm-freight" => ("Ocean freight (W/M)", "海运费 (W/M)"),
        "freight-tons" => ("freight tons", "计费吨"),
        "cartons" => ("Cartons", "箱数"),
        "limited-by" => ("by", "受限于"),
        "volume" => ("volume", "体积"),
        "weight-limit" => ("weight", "重量"),
        "w-profit" => ("Profit on price %", "预期利润率 %"),
        "w-bank" => ("Bank charges %", "银行费用 %"),
        "w-commission" => ("Commission %", "佣金率 %"),
        "w-min-margin" => ("Least margin for tiers, discounts and offers %", "阶梯和让价最低利润率 %"),
        "fx-cost" => ("FX cost (CNY per unit of income)", "换汇成本"),
        "profit-rate" => ("Export profit rate", "出口盈亏率"),
        "tier-table" => ("Quantity tiers", "数量阶梯报价"),
        "qty" => ("Quantity", "数量"),
        "unit-price" => ("Unit price", "单价"),
        "notice-restored" => ("Saved inputs could not be used; defaults are loaded and the old data is kept as a backup in this browser:", "保存的数据无法使用, 已载入默认值, 旧数据已备份在本浏览器:"),
        "dismiss" => ("OK", "知道了"),
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
        "r-days" => ("Promotion days", "促销天数"),
        "r-stock" => ("Pieces in stock", "库存件数"),
        "r-lot" => ("Pieces per lot", "每批件数"),
        "r-lead" => ("Lead time (days)", "交期 (天)"),
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
        "terms" => ("Terms", "条款"),
        "w-buyer" => ("Buyer", "买方"),
        "w-valid" => ("Prices valid for (days)", "报价有效期 (天)"),
        "seller" => ("Seller", "卖方"),
        "buyer" => ("Buyer", "买方"),
        "date" => ("Date", "日期"),
        "valid-until" => ("Valid until", "有效期至"),
        "name" => ("Item name", "品名"),
        "quantity" => ("Pieces", "件数"),
        "allocation" => ("Shipping shared", "运费分摊方式"),
        "by-weight" => ("by weight", "按重量"),
        "by-volume" => ("by volume", "按体积"),
        "by-value" => ("by purchase value", "按采购金额"),
        "by-quantity" => ("by quantity", "按件数"),
        "floor" => ("Least margin for discounts and offers %", "让价最低利润率 %"),
        "buyer-offer" => ("The buyer's offer", "买家出价"),
        "offer-kind" => ("Offer", "出价方式"),
        "offer-unit" => ("Per unit", "单价"),
        "w-offer-kind" => ("Offer", "出价方式"),
        "w-offer" => ("Offered price (per unit: one per line, separated by ;)", "买家出价 (单价: 每个产品一个, 用 ; 分隔)"),
        "in-seller-order" => ("In CNY", "折合人民币"),
        "parcels-n" => ("parcels:", "包裹数:"),
        "offer-total" => ("For the whole order", "整单总价"),
        "offer" => ("Offered price (per unit: one per item, separated by ;)", "买家出价 (单价: 每个商品一个, 用 ; 分隔)"),
        "offer-accept" => ("Accept: the offer keeps the least margin", "接受: 出价不低于最低利润率"),
        "offer-counter" => ("Counter with the floor price", "还价: 报底价"),
        "offer-decline" => ("Decline: too far under the floor", "拒绝: 出价远低于底价"),
        "offer-invoices" => ("the offer invoices", "出价合计"),
        "floor-price" => ("Floor price", "底价"),
        "max-discount" => ("Largest discount keeping", "保持利润率的最大折扣"),
        "item-n" => ("Item", "商品"),
        "add-item" => ("Add an item", "添加商品"),
        "remove-item" => ("Remove this item", "删除此商品"),
        "first-item" => ("the first item, per piece", "第一个商品的单价"),
        "shipping-share" => ("Shipping share (CNY)", "分摊运费 (元)"),
        "shipping-options" => ("Shipping for the whole basket, by service", "整单各物流渠道运费"),
        "parcels" => ("parcels", "包裹"),
        "chargeable-kg" => ("Chargeable kg", "计费重 (公斤)"),
        "cost-col" => ("Cost", "运费"),
        "split-because" => ("Split into parcels:", "分包原因:"),
        "w-place" => ("Named place", "指定地点"),
        "w-buyer-address" => ("Buyer's address (lines separated by /)", "买方地址 (用 / 分行)"),
        "w-buyer-country" => ("Buyer's country", "买方国家"),
        "w-document-language" => ("Documents in", "单据语言"),
        "w-payment-kind" => ("Payment terms", "付款条件"),
        "pay-tt" => ("T/T (deposit + balance)", "T/T 电汇 (定金 + 余款)"),
        "pay-lc-sight" => ("L/C at sight", "即期信用证"),
        "pay-lc-usance" => ("L/C at days after sight", "远期信用证"),
        "w-deposit" => ("Deposit %", "定金 %"),
        "w-usance-days" => ("Days after sight", "见票后天数"),
        "w-usance-rate" => ("Bank discount rate % a year", "银行贴现年利率 %"),
        "w-reference" => ("PI number (empty: prefix-date-sequence)", "形式发票号 (空: 前缀-日期-序号)"),
        "w-sequence" => ("Today's sequence number", "当日序号"),
        "w-freight-kind" => ("Freight", "运费方式"),
        "freight-amount" => ("An amount for the shipment", "整票运费"),
        "freight-wm" => ("W/M per freight ton (LCL)", "按计费吨 W/M (拼箱)"),
        "freight-fcl" => ("Full containers at a box rate", "整柜 (每柜运费)"),
        "w-container" => ("Container type", "柜型"),
        "w-box-rate" => ("Freight per container", "每柜运费"),
        "w-allocation" => ("Freight and fees shared", "运费和费用分摊方式"),
        "shipment" => ("Shipment", "出运"),
        "line" => ("Line", "产品"),
        "l-sku" => ("SKU", "货号"),
        "l-description" => ("Description", "品名描述"),
        "l-hs_code" => ("HS code", "HS 编码"),
        "l-quantity" => ("Quantity (units)", "数量 (件)"),
        "l-cost" => ("Unit cost incl. VAT (CNY)", "含税采购价 (元)"),
        "l-vat" => ("VAT %", "增值税率 %"),
        "l-rebate" => ("Export rebate %", "出口退税率 %"),
        "l-moq" => ("MOQ (optional)", "起订量 (可选)"),
        "l-lot" => ("Units per lot (optional)", "每批件数 (可选)"),
        "l-carton_pieces" => ("Pieces per carton", "每箱件数"),
        "l-carton_kg" => ("Carton gross weight (kg)", "每箱毛重 (公斤)"),
        "l-carton_length" => ("Carton length (cm)", "外箱长 (厘米)"),
        "l-carton_width" => ("Carton width (cm)", "外箱宽 (厘米)"),
        "l-carton_height" => ("Carton height (cm)", "外箱高 (厘米)"),
        "l-carton_cbm" => ("Or carton volume (m³)", "或每箱体积 (立方米)"),
        "l-tiers" => ("Tiers (quantities, :discount % optional)", "阶梯 (数量, 可加 :折扣%)"),
        "add-line" => ("Add a product line", "添加产品"),
        "remove-line" => ("Remove this line", "删除此产品"),
        "move-up" => ("Move up", "上移"),
        "first-line" => ("First line, per unit", "第一个产品单价"),
        "total-cost" => ("Total cost", "总成本"),
        "fob-net" => ("Net FOB income", "FOB 净收入"),
        "rebate-income" => ("Rebate income", "退税收入"),
        "profit" => ("Profit", "利润"),
        "freight-share" => ("Freight share", "分摊运费"),
        "tier-rule" => ("Priced by", "定价规则"),
        "pi-number" => ("PI No.", "发票号"),
        "terms-of-delivery" => ("Terms of delivery", "交货条件"),
        "payment" => ("Payment", "付款方式"),
        "reply-from-retail" => ("Numbers, quantities and the buyer's country come from the retail order.", "数字、数量和买家国家取自零售订单。"),
        "reply-from-wholesale" => ("The letter's prices, payment terms and validity come from the wholesale order and its proforma.", "报价函的价格、付款条件和有效期取自批发订单及形式发票。"),
        "r-item" => ("Item the unit prices are for", "单价所指的商品"),
        "tab-settings" => ("Settings", "设置"),
        "p-own" => ("Using your own profile (kept in this browser).", "正在使用您自己的配置 (保存在本浏览器)。"),
        "p-builtin" => ("Using the built-in sample profile.", "正在使用内置示例配置。"),
        "p-import" => ("Import a profile (JSON)", "导入配置 (JSON)"),
        "p-ecb" => ("Load ECB euro reference rates (XML)", "载入欧洲央行参考汇率 (XML)"),
        "p-export" => ("Export the profile (JSON)", "导出配置 (JSON)"),
        "p-reset" => ("Reset to the built-in profile", "恢复内置配置"),
        "p-rates" => ("Exchange rates in use", "当前汇率"),
        "p-pair" => ("Pair", "货币对"),
        "p-mid" => ("Mid", "中间价"),
        "p-buying" => ("Bank buying", "银行买入价"),
        "p-selling" => ("Bank selling", "银行卖出价"),
        "p-json" => ("The profile (JSON): rates, services, fees, markets, reply templates", "配置 (JSON): 汇率、物流、费用、市场、回复模板"),
        "p-apply" => ("Check and use", "校验并使用"),
        "tab-sheet" => ("Price sheet", "价格表"),
        "s-service" => ("Shipping services", "物流渠道 (可多选)"),
        "s-currency" => ("Sheet currency", "报价币种"),
        "s-platform" => ("Platform fees", "平台费用"),
        "s-platform-none" => ("None", "无"),
        "s-fees" => ("Other fees on the price, % (e.g. 12, 3)", "其他按售价收取的费用 % (如 12, 3)"),
        "s-tiers" => ("Tiers: name, from qty, margin %, cost factor", "阶梯: 名称 起订量 利润率% 成本系数"),
        "s-zones" => ("Zones (empty: all)", "分区 (空: 全部)"),
        "s-quantities" => ("Quantities (empty: each tier's least)", "数量 (空: 各阶梯起订量)"),
        "s-precision" => ("Division", "除法精度"),
        "s-precision-exact" => ("Exact", "精确"),
        "s-precision-python" => ("28 digits, as Python decimal", "28 位, 同 Python decimal"),
        "s-catalog" => ("Catalog CSV (paste, drop a file here, or choose one)", "商品目录 CSV (粘贴、拖入文件或选择文件)"),
        "s-file" => ("Choose a CSV file", "选择 CSV 文件"),
        "s-make" => ("Make the sheet", "生成价格表"),
        "s-working" => ("Pricing…", "计算中…"),
        "s-rows" => ("rows read", "行已读取"),
        "s-lines" => ("lines priced", "行已报价"),
        "s-rejected-count" => ("rejected", "被拒"),
        "s-download-csv" => ("Download CSV", "下载 CSV"),
        "s-download-xlsx" => ("Download XLSX", "下载 XLSX"),
        "s-download-rejected" => ("Download rejected rows", "下载被拒行"),
        "s-rejected" => ("Rejected rows", "被拒行"),
        "s-prev" => ("Previous", "上一页"),
        "s-next" => ("Next", "下一页"),
        "s-ignored" => ("Columns not read", "未读取的列"),
        "row" => ("Row", "行"),
        "reason" => ("Reason", "原因"),
        "crashed" => ("crossquote stopped. Reload the page to start again.", "crossquote 出错停止, 请刷新页面。"),
        _ => return key,
    };
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// The Chinese for a breakdown line the core (or the wholesale form) names.
pub fn line_name(english: &str) -> Option<&'static str> {
    Some(match english {
        "Purchase cost" => "采购成本",
        "Purchase cost (VAT incl.)" => "含税采购成本",
        "Packaging" => "包装费",
        "First leg" => "头程运费",
        "Last mile" => "尾程派送费",
        "Other costs" => "其他成本",
        "Shipping" => "运费",
        "Freight" => "国际运费",
        "FX risk reserve" => "汇率风险准备",
        "Profit" => "利润",
        "Export VAT rebate" => "出口退税",
        "Domestic fees" => "国内费用",
        "Handling fee" => "手续费",
        "Loan interest" => "贷款利息",
        "Insurance" => "保险费",
        "Destination charges" => "目的港费用",
        "Import duty" => "进口关税",
        "Import VAT" => "进口增值税",
        "Bank charges" => "银行费用",
        "Commission" => "佣金",
        "L/C discount interest" => "信用证贴现利息",
        _ => return None,
    })
}

/// A problem, warning or note in `lang`. Messages reach the view as the core's English
/// sentences (its `Problem`, number, shipping-limit and rounding texts); for 中文 the common shapes are said
/// again in Chinese, with the same values, and any other message shows as it came. The
/// tests below build each shape from the core itself, so a changed English sentence
/// fails them rather than going untranslated.
pub fn message(lang: Lang, m: &str) -> Cow<'_, str> {
    if lang == Lang::En {
        return Cow::Borrowed(m);
    }
    zh_message(m).map_or(Cow::Borrowed(m), Cow::Owned)
}

fn zh_message(m: &str) -> Option<String> {
    let between = |pre: &str, post: &str| m.strip_prefix(pre)?.strip_suffix(post);
    if let Some(v) = between("must not be negative (got ", ")") {
        return Some(format!("不能为负数 (输入为 {v})"));
    }
    if let Some(v) = between("must be greater than zero (got ", ")") {
        return Some(format!("必须大于零 (输入为 {v})"));
    }
    if m == "must be greater than zero" {
        return Some("必须大于零".to_owned());
    }
    if let Some(v) = between("must be less than 100% (got ", "%)") {
        return Some(format!("必须小于 100% (输入为 {v}%)"));
    }
    if let Some(rest) = m.strip_prefix("fees and margin take the whole price: fees ") {
        let (fees, margin) = rest.strip_suffix("% >= 100%")?.split_once("% + margin ")?;
        return Some(format!("费用和利润率占满了售价: 费用 {fees}% + 利润率 {margin}% ≥ 100%"));
    }
    if let Some((from, to)) =
        between("no exchange rate from ", " in the rate table").and_then(|p| p.split_once(" to "))
    {
        return Some(format!("汇率表中没有 {from} 兑 {to} 的汇率"));
    }
    if let Some((want, got)) = between("must be in ", ")").and_then(|p| p.split_once(" (got ")) {
        return Some(format!("币种必须是 {want} (输入为 {got})"));
    }
    if let Some(v) = between("`", "` is not a number") {
        return Some(format!("`{v}` 不是数字"));
    }
    if let Some((typed, rest)) = m.strip_prefix('`').and_then(|r| r.split_once("` can be read as "))
    {
        let (a, b) = rest.strip_suffix(": write it as one of them")?.split_once(" or as ")?;
        return Some(format!("`{typed}` 既可读作 {a} 也可读作 {b}: 请写成其中一种"));
    }
    if m == "expected a number, found nothing" {
        return Some("请填写数字".to_owned());
    }
    if let Some(v) = between("`", "` is not a whole number of units")
        .or_else(|| between("`", "` is not a whole number of pieces"))
    {
        return Some(format!("`{v}` 不是整数件数"));
    }
    if let Some(v) = between("`", "` is not a whole number above zero") {
        return Some(format!("`{v}` 不是大于零的整数"));
    }
    if let Some(v) = between("`", "` is not a quantity or quantity:discount, e.g. 500 or 500:3") {
        return Some(format!("`{v}` 不是 数量 或 数量:折扣 格式, 例如 500 或 500:3"));
    }
    if let Some(q) = between("profit target at ", " units shipped alone") {
        return Some(format!("按 {q} 件单独出运计算的目标利润"));
    }
    if let Some(d) = between("", "% off the first tier") {
        return Some(format!("第一档价格减 {d}%"));
    }
    if let Some((d, rest)) = m.split_once(" off leaves ") {
        let (left, rest) = rest.split_once(" margin, under the ")?;
        let (floor, most) = rest.split_once(" floor; the most it allows is ")?;
        return Some(format!("优惠 {d} 后利润率为 {left}, 低于 {floor} 的底线; 最多可优惠 {most}"));
    }
    if let Some(rest) = m.strip_prefix("rounded up to a multiple of ") {
        return Some(match rest.split_once(" ending in ") {
            Some((step, ending)) => format!("向上取整到 {step} 的整数倍, 尾数 {ending}"),
            None => format!("向上取整到 {rest} 的整数倍"),
        });
    }
    let fixed = match m {
        "the retail quote has problems: fix it first" => Some("零售报价有错误, 请先修正"),
        "the wholesale quote has problems: fix it first" => Some("批发报价有错误, 请先修正"),
        "by weight" => Some("按重量"),
        "by volume" => Some("按体积"),
        "by purchase value" => Some("按采购金额"),
        "by quantity" => Some("按件数"),
        _ => None,
    };
    if let Some(zh) = fixed {
        return Some(zh.to_owned());
    }
    if let Some((number, market)) =
        m.strip_suffix(" buyers avoid").and_then(|r| r.split_once(" has a digit "))
    {
        return Some(format!("{number} 含有 {market} 买家忌讳的数字"));
    }
    if let Some((more, rest)) = m.split_once(" pieces cost more per unit (") {
        let (price, rest) = rest.split_once(") than ")?;
        let (fewer, fewer_price) = rest.strip_suffix(')')?.split_once(" pieces (")?;
        return Some(format!("{more} 件的单价 ({price}) 高于 {fewer} 件 ({fewer_price})"));
    }
    if let Some(rest) = m.strip_prefix("chargeable weight ") {
        let (value, rest) = rest.split_once(" is over the heaviest on ")?;
        let (whose, max) = rest.split_once(" rate card, ")?;
        return Some(format!("计费重 {value} 超过{}运价表的最高重量 {max}", service(whose)?));
    }
    let (left, right) = m.split_once(" is over ")?;
    let (whose, max) = right.rsplit_once(" limit of ")?;
    let (what, value) =
        [("weight ", "重量"), ("longest side ", "最长边"), ("length + girth ", "长度 + 周长")]
            .into_iter()
            .find_map(|(en, zh)| Some((zh, left.strip_prefix(en)?)))?;
    Some(format!("{what} {value} 超过{}的上限 {max}", service(whose)?))
}

/// "epacket's" as " epacket ", "the service's" as "该渠道".
fn service(whose: &str) -> Option<String> {
    match whose.strip_suffix("'s")? {
        "the service" => Some("该渠道".to_owned()),
        id => Some(format!(" {id} ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossquote::error::Problem;
    use crossquote::{Currency, Decimal};

    /// Every line name the core writes into a B2C or B2B breakdown has its Chinese: the
    /// names are read from breakdowns of quotes that have every kind of line.
    #[test]
    fn every_line_the_core_names_has_chinese() {
        use crossquote::breakdown::Label;
        let profile = crossquote::defaults::default_profile().unwrap();
        let mut names = Vec::new();
        let mut keep = |b: &crossquote::breakdown::Breakdown| {
            for l in &b.lines {
                if let Label::Fixed(t) = l.label {
                    names.push(t);
                }
            }
        };
        let b2c: crossquote::b2c::B2cRequest = crossquote::from_json(
            r#"{"seller_currency": "CNY", "quote_currency": "USD",
                "costs": {"purchase": "30", "packaging": "1", "first_leg": "2", "last_mile": "3", "other": "1"},
                "shipping": {"amount": "14"}, "fx": {"risk_buffer": "2"},
                "profit": {"basis": "margin", "percent": "20"}}"#,
        )
        .unwrap();
        keep(&crossquote::b2c::quote(&b2c, &profile.rates).unwrap().at_price.breakdown);
        let b2b: crossquote::b2b::B2bRequest = crossquote::from_json(
            r#"{"seller_currency": "CNY", "quote_currency": "USD", "quantity": 100,
                "cost": {"unit_cost": "113", "vat_rate": "13", "rebate_rate": "9"},
                "handling": "2", "loan": {"annual_rate": "6", "days": 30},
                "term": "DDP", "freight": {"amount": {"amount": "300", "currency": "USD"}},
                "insurance": {"rate": "0.8"},
                "destination": {"charges": [{"amount": "50", "currency": "USD"}], "duty_rate": "5", "import_vat": "20"},
                "profit": "10", "bank_charges": "0.5", "commission": "3",
                "lc_discount": {"annual_rate": "5", "days": 60}}"#,
        )
        .unwrap();
        keep(&crossquote::b2b::quote(&b2b, &profile.rates).unwrap().breakdown);
        names.push(crate::wholesale::DOMESTIC_FEES);
        names.sort_unstable();
        names.dedup();
        // Every cost, fee and profit line of both engines appears in one of the two.
        assert_eq!(names.len(), 21, "{names:?}");
        for n in names {
            assert!(line_name(n).is_some(), "no Chinese for the line `{n}`");
        }
    }

    /// Each shape comes from the code that writes it, so a reworded English sentence
    /// fails here instead of going untranslated.
    #[test]
    fn problems_are_said_in_chinese() {
        let d = |s: &str| Decimal::from_str_exact(s).unwrap();
        let cur = |c: &str| Currency::from_code(c).unwrap();
        let cases: Vec<(String, &str)> = vec![
            (Problem::Negative { value: d("-1.5") }.to_string(), "不能为负数 (输入为 -1.5)"),
            (Problem::NotPositive { value: d("0") }.to_string(), "必须大于零 (输入为 0)"),
            (
                Problem::PercentTooLarge { value: d("120") }.to_string(),
                "必须小于 100% (输入为 120%)",
            ),
            (
                Problem::FeesTakeWholePrice { fees: d("13.9"), margin: d("95") }.to_string(),
                "费用和利润率占满了售价: 费用 13.9% + 利润率 95% ≥ 100%",
            ),
            (
                Problem::MissingRate { from: cur("USD"), to: cur("VND") }.to_string(),
                "汇率表中没有 USD 兑 VND 的汇率",
            ),
            (
                Problem::WrongCurrency { expected: cur("USD"), found: cur("EUR") }.to_string(),
                "币种必须是 USD (输入为 EUR)",
            ),
            (crossquote::serde_dec::parse("abc").unwrap_err(), "`abc` 不是数字"),
            (
                crossquote::input::number("1,250").unwrap_err(),
                "`1,250` 既可读作 1250 也可读作 1.250: 请写成其中一种",
            ),
            (crossquote::serde_dec::parse(" ").unwrap_err(), "请填写数字"),
            (
                crossquote::logistics::ShippingError::LimitExceeded {
                    service: "epacket".into(),
                    limit: "max_length_cm".into(),
                    value: d("61"),
                    max: d("60"),
                }
                .to_string(),
                "最长边 61 cm 超过 epacket 的上限 60 cm",
            ),
            (
                crossquote::logistics::ShippingError::LimitExceeded {
                    service: "economy".into(),
                    limit: "the heaviest weight on the rate card".into(),
                    value: d("2.5"),
                    max: d("2"),
                }
                .to_string(),
                "计费重 2.5 kg 超过 economy 运价表的最高重量 2 kg",
            ),
        ];
        for (en, zh) in cases {
            assert_eq!(message(Lang::Zh, &en), zh, "{en}");
            assert_eq!(message(Lang::En, &en), en);
        }
        // Through the retail form: a parcel over the service's weight limit.
        let profile = crossquote::defaults::default_profile().unwrap();
        let f = crate::retail::RetailForm { service: "epacket".into(), ..Default::default() };
        let items = [crate::retail::ItemForm { weight: "3".into(), ..Default::default() }];
        let p = crate::retail::compute(&f, &items, &profile).unwrap_err();
        assert!(
            message(Lang::Zh, &p[0].1).starts_with("重量 3 kg 超过 epacket 的上限 2 kg"),
            "{p:?}"
        );
        let lines = [crate::wholesale::LineForm { quantity: "abc".into(), ..Default::default() }];
        let day = crossquote::Date::new(2026, 12, 1).unwrap();
        let p = crate::wholesale::compute(&Default::default(), &lines, &profile, day).unwrap_err();
        assert_eq!(message(Lang::Zh, &p[0].1), "`abc` 不是大于零的整数");
    }

    #[test]
    fn the_forms_problems_are_said_in_chinese() {
        use crate::reply::{Orders, ReplyForm};
        use crate::retail::{ItemForm, RetailForm};
        use crate::wholesale::{LineForm, WholesaleForm};
        let profile = crossquote::defaults::default_profile().unwrap();
        let day = crossquote::Date::new(2026, 12, 1).unwrap();
        let zh = |p: &crate::model::Problems| -> Vec<String> {
            p.iter().map(|(_, m)| message(Lang::Zh, m).into_owned()).collect()
        };
        let line = |l: LineForm| {
            crate::wholesale::compute(&WholesaleForm::default(), &[l], &profile, day).unwrap_err()
        };
        assert_eq!(
            zh(&line(LineForm { carton_pieces: "2.5".into(), ..Default::default() })),
            ["`2.5` 不是大于零的整数"]
        );
        assert_eq!(
            zh(&line(LineForm { tiers: "100:0, 500-3".into(), ..Default::default() })),
            ["`500-3` 不是 数量 或 数量:折扣 格式, 例如 500 或 500:3"]
        );
        let (wf, lines) = (WholesaleForm::default(), [LineForm::default()]);
        let (rf, items) = (RetailForm::default(), [ItemForm::default()]);
        let reply = |r: ReplyForm, items: &[ItemForm], lines: &[LineForm]| {
            let orders = Orders { retail: &rf, items, wholesale: &wf, lines };
            crate::reply::compute(&r, &orders, &profile, day, 0).unwrap_err()
        };
        let letter = ReplyForm {
            scenario: "wholesale_letter".into(),
            lead: "x".into(),
            ..Default::default()
        };
        assert_eq!(zh(&reply(letter, &items, &lines)), ["`x` 不是大于零的整数"]);
        let broken = [ItemForm { cost: "abc".into(), ..Default::default() }];
        assert_eq!(zh(&reply(ReplyForm::default(), &broken, &lines)), ["零售报价有错误, 请先修正"]);
        let broken = [LineForm { cost: "abc".into(), ..Default::default() }];
        let letter = ReplyForm { scenario: "wholesale_letter".into(), ..Default::default() };
        assert_eq!(zh(&reply(letter, &items, &broken)), ["批发报价有错误, 请先修正"]);
        let too_much = ReplyForm { discount: "60".into(), ..Default::default() };
        let said = zh(&reply(too_much, &items, &lines));
        assert!(said[0].starts_with("优惠 60% 后利润率为 "), "{said:?}");
        assert!(said[0].contains("低于 10% 的底线; 最多可优惠 "), "{said:?}");
    }

    #[test]
    fn warnings_and_rules_are_said_in_chinese() {
        let profile = crossquote::defaults::default_profile().unwrap();
        let d = |s: &str| Decimal::from_str_exact(s).unwrap();
        let day = crossquote::Date::new(2026, 12, 1).unwrap();
        let line = crate::wholesale::LineForm { tiers: "100, 500:3".into(), ..Default::default() };
        let (_, q) =
            crate::wholesale::compute(&Default::default(), &[line], &profile, day).unwrap();
        let rules: Vec<String> =
            q.lines[0].tiers.iter().map(|t| message(Lang::Zh, &t.rule).into_owned()).collect();
        assert_eq!(rules, ["按 100 件单独出运计算的目标利润", "第一档价格减 3%"]);
        assert_eq!(message(Lang::Zh, &q.shipment.allocation), "按体积");
        let rising = crossquote::b2b::tiers::TierTable {
            currency: Currency::from_code("USD").unwrap(),
            mode: Default::default(),
            base_price: d("10"),
            unit_cost: d("5"),
            tiers: [(1, Some(9), "10.00"), (10, None, "11.00")]
                .into_iter()
                .map(|(min_qty, max_qty, price)| crossquote::b2b::tiers::Tier {
                    min_qty,
                    max_qty,
                    price: crossquote::b2b::tiers::TierPrice::UnitPrice(d(price)),
                    flat_fee: Decimal::ZERO,
                    unit_cost: None,
                    segment: None,
                    valid_from: None,
                    valid_to: None,
                    priority: 0,
                })
                .collect(),
            lot_size: None,
            rounding: Default::default(),
            min_margin: None,
            max_margin: None,
            allow_rising: false,
        };
        let (_, warnings) = rising.rows(&Default::default()).unwrap();
        assert_eq!(message(Lang::Zh, &warnings[0]), "10 件的单价 (11.0000) 高于 9 件 (10.0000)");
        // The market's avoided digits in a reply.
        let rf = crate::retail::RetailForm { country: "RU".into(), ..Default::default() };
        let (items, wf, lines) = ([Default::default()], Default::default(), [Default::default()]);
        let orders =
            crate::reply::Orders { retail: &rf, items: &items, wholesale: &wf, lines: &lines };
        // Some discount of 1–9% gives a price with a digit Russian buyers avoid.
        let warned = (1..10)
            .filter_map(|d| {
                let f = crate::reply::ReplyForm { discount: d.to_string(), ..Default::default() };
                let r = crate::reply::compute(&f, &orders, &profile, day, 0).unwrap();
                r.replies.reply.warnings.first().cloned()
            })
            .next()
            .unwrap();
        let w = message(Lang::Zh, &warned);
        assert!(w.ends_with("(unit_price) 含有 Russia 买家忌讳的数字"), "{w}");
        // The wholesale quote's rounding note.
        assert_eq!(message(Lang::Zh, &q.lines[0].quote.rounding), "向上取整到 0.01 USD 的整数倍");
        // A message of another shape shows as it came.
        assert_eq!(message(Lang::Zh, "something else"), "something else");
    }

    #[test]
    fn every_used_key_has_both_texts() {
        for key in [
            "title",
            "price",
            "w-term",
            "tier-table",
            "margin-out",
            "notice-restored",
            "cost",
            "service",
            "tab-sheet",
            "s-make",
            "s-catalog",
            "l-carton_pieces",
            "w-wm-rate",
            "add-item",
            "add-line",
            "shipping-options",
            "offer-counter",
            "w-place",
            "packing",
            "w-container",
            "pay-lc-usance",
            "l-hs_code",
        ] {
            assert!(!t(Lang::En, key).is_empty(), "{key}");
            assert!(!t(Lang::Zh, key).is_empty(), "{key}");
            assert_ne!(t(Lang::En, key), t(Lang::Zh, key), "{key}");
        }
        assert_eq!(t(Lang::Zh, "no-such-key"), "no-such-key");
    }
}
