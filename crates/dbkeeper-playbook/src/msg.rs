//! Messages of the playbook crate: reading and checking playbooks and schedules, the `when`
//! language, running, scheduling and notifications. Templates may show `${…}` literally: a brace
//! pair that is not an argument stays as written (and appears the same in both languages).

dbkeeper_core::catalogue! {
    // --- reading a playbook ---
    READ = "playbook.read" {
        en: "cannot read the playbook `{path}`",
        zh: "无法读取剧本 `{path}`"
    }
    READ_HINT = "playbook.read_hint" {
        en: "check the path and that the user running dbkeeper may read the file",
        zh: "请检查路径，并确认运行 dbkeeper 的用户有权读取该文件"
    }
    VERSION = "playbook.version" {
        en: "this dbkeeper reads playbooks of version 1, not version {version}",
        zh: "此版本的 dbkeeper 只能读取第 1 版剧本，不能读取第 {version} 版"
    }
    VERSION_HINT = "playbook.version_hint" {
        en: "write `version: 1`, or use the dbkeeper release the playbook was written for",
        zh: "请写 `version: 1`，或使用编写该剧本时对应的 dbkeeper 版本"
    }
    PLAYBOOK_NAME = "playbook.name" {
        en: "`{name}` cannot be a playbook name",
        zh: "`{name}` 不能用作剧本名称"
    }
    ENTRY_NAME = "playbook.entry_name" {
        en: "`{name}` cannot be a name here",
        zh: "`{name}` 不能用作此处的名称"
    }
    NAME_HINT = "playbook.name_hint" {
        en: "use letters, digits, `-`, `_` and `.`, starting with a letter or digit",
        zh: "请只用字母、数字、`-`、`_` 和 `.`，并以字母或数字开头"
    }
    SEE_DOCS_HINT = "playbook.see_docs_hint" {
        en: "every key and its type is listed in playbooks/playbook.schema.json",
        zh: "所有键及其类型见 playbooks/playbook.schema.json"
    }
    INVENTORY_MISSING = "playbook.inventory_missing" {
        en: "the inventory `{path}` does not exist",
        zh: "清单文件 `{path}` 不存在"
    }
    INVENTORY_MISSING_HINT = "playbook.inventory_missing_hint" {
        en: "give a path relative to the playbook's folder, to a file in the format of dbkeeper.yaml",
        zh: "请填写相对于剧本所在目录的路径，文件格式与 dbkeeper.yaml 相同"
    }
    DEFINED_TWICE = "playbook.defined_twice" {
        en: "the {kind} `{name}` is defined both here and in the inventory",
        zh: "{kind} `{name}` 在此处和清单中都有定义"
    }
    DEFINED_TWICE_HINT = "playbook.defined_twice_hint" {
        en: "keep one definition, or rename one of them",
        zh: "请只保留一个定义，或为其中一个改名"
    }
    VAR_NAME = "playbook.var_name" {
        en: "`{name}` cannot be a variable name",
        zh: "`{name}` 不能用作变量名"
    }
    VAR_NAME_HINT = "playbook.var_name_hint" {
        en: "start with a letter or `_`, then letters, digits, `_` or `-` (it is read as `vars.NAME`)",
        zh: "请以字母或 `_` 开头，其后为字母、数字、`_` 或 `-`（引用方式为 `vars.名称`）"
    }
    VAR_TYPE = "playbook.var_type" {
        en: "`{key}` must be text, a number or true/false",
        zh: "`{key}` 应为文本、数字或 true/false"
    }
    VAR_TYPE_HINT = "playbook.var_type_hint" {
        en: "variables hold one value each; lists and mappings are not supported",
        zh: "每个变量只能保存一个值，不支持列表和映射"
    }
    VAR_SECRET = "playbook.var_secret" {
        en: "the variable `{name}` looks like it holds a secret, and variables are written in clear",
        zh: "变量 `{name}` 看起来保存的是密钥，而变量是明文书写的"
    }
    VAR_SECRET_HINT = "playbook.var_secret_hint" {
        en: "put it under `secrets:` as `{name}: {env: VAR}` (or file, or command), and consider the value exposed",
        zh: "请改在 `secrets:` 下写成 `{name}: {env: VAR}`（或 file、command），并视该值已泄露"
    }
    STEPS_EMPTY = "playbook.steps_empty" {
        en: "the playbook has no steps",
        zh: "剧本中没有任何步骤"
    }
    STEPS_EMPTY_HINT = "playbook.steps_empty_hint" {
        en: "add at least one step: `- {id: backup, action: backup, with: {target: …, repos: […]}}`",
        zh: "请至少添加一个步骤：`- {id: backup, action: backup, with: {target: …, repos: […]}}`"
    }
    STEP_ID = "playbook.step_id" {
        en: "`{id}` cannot be a step id",
        zh: "`{id}` 不能用作步骤 id"
    }
    STEP_ID_HINT = "playbook.step_id_hint" {
        en: "start with a letter or `_`, then letters, digits, `_` or `-`; no dots (it is read as `steps.ID`)",
        zh: "请以字母或 `_` 开头，其后为字母、数字、`_` 或 `-`，不能含点号（引用方式为 `steps.ID`）"
    }
    STEP_DUPLICATE = "playbook.step_duplicate" {
        en: "two steps have the id `{id}`",
        zh: "有两个步骤的 id 都是 `{id}`"
    }
    STEP_DUPLICATE_HINT = "playbook.step_duplicate_hint" {
        en: "give each step its own id; the first is at line {line}, column {col}",
        zh: "请为每个步骤取不同的 id；第一个位于第 {line} 行第 {col} 列"
    }
    NEEDS_SELF = "playbook.needs_self" {
        en: "the step `{id}` needs itself",
        zh: "步骤 `{id}` 依赖于它自己"
    }
    NEEDS_SELF_HINT = "playbook.needs_self_hint" {
        en: "list the steps that must finish before this one",
        zh: "请列出必须在本步骤之前完成的步骤"
    }
    CYCLE = "playbook.cycle" {
        en: "the steps need each other in a cycle: {cycle}",
        zh: "步骤之间存在循环依赖：{cycle}"
    }
    CYCLE_HINT = "playbook.cycle_hint" {
        en: "remove one of these `needs` so that the steps can run one after another",
        zh: "请删除其中一个 `needs`，使这些步骤能依次执行"
    }
    UNKNOWN_REF = "playbook.unknown_ref" {
        en: "`{key}` names the {kind} `{name}`, which is not defined",
        zh: "`{key}` 引用的 {kind} `{name}` 未定义"
    }
    UNKNOWN_REF_SUGGEST_HINT = "playbook.unknown_ref_suggest_hint" {
        en: "did you mean `{suggestion}`?",
        zh: "是否想写 `{suggestion}`？"
    }
    UNKNOWN_REF_HINT = "playbook.unknown_ref_hint" {
        en: "defined {kind} names: {known}",
        zh: "已定义的 {kind} 名称：{known}"
    }
    UNKNOWN_REF_NONE_HINT = "playbook.unknown_ref_none_hint" {
        en: "no {kind} is defined: define it in the playbook, its inventory or dbkeeper.yaml",
        zh: "尚未定义任何 {kind}：请在剧本、其清单或 dbkeeper.yaml 中定义"
    }
    ONE_OF_MISSING = "playbook.one_of_missing" {
        en: "`{key}` needs one of {keys}",
        zh: "`{key}` 需要 {keys} 之一"
    }
    ONE_OF_BOTH = "playbook.one_of_both" {
        en: "`{key}` takes only one of {keys}",
        zh: "`{key}` 只能设置 {keys} 中的一个"
    }
    ONE_OF_HINT = "playbook.one_of_hint" {
        en: "keep exactly one of {keys}",
        zh: "请在 {keys} 中只保留一个"
    }
    EMPTY_LIST = "playbook.empty_list" {
        en: "`{key}` is an empty list",
        zh: "`{key}` 是空列表"
    }
    EMPTY_LIST_HINT = "playbook.empty_list_hint" {
        en: "name at least one",
        zh: "请至少填写一项"
    }
    INT_RANGE = "playbook.int_range" {
        en: "`{key}` must be between {min} and {max}, got {got}",
        zh: "`{key}` 应在 {min} 到 {max} 之间，实际为 {got}"
    }
    INT_RANGE_HINT = "playbook.int_range_hint" {
        en: "use a number in that range",
        zh: "请使用该范围内的数字"
    }
    DURATION_ZERO = "playbook.duration_zero" {
        en: "`{key}` cannot be zero",
        zh: "`{key}` 不能为零"
    }
    DURATION_ZERO_HINT = "playbook.duration_zero_hint" {
        en: "give a positive duration such as 30s or 2h, or remove the key",
        zh: "请填写正的时长，如 30s 或 2h，或删除该键"
    }
    TEMPLATE_NOT_HERE = "playbook.template_not_here" {
        en: "`{key}` is taken literally and cannot use `${…}`",
        zh: "`{key}` 按字面读取，不能使用 `${…}`"
    }
    TEMPLATE_NOT_HERE_HINT = "playbook.template_not_here_hint" {
        en: "names and SQL are never filled in from other values; write the value itself (or `$${` for the characters)",
        zh: "名称和 SQL 不会从其他值填充；请直接写出取值（如需字符本身，请写 `$${`）"
    }
    TEMPLATE_UNCLOSED = "playbook.template_unclosed" {
        en: "a `${…}` reference is not closed",
        zh: "`${…}` 引用没有闭合"
    }
    TEMPLATE_UNCLOSED_HINT = "playbook.template_unclosed_hint" {
        en: "write `${steps.ID.outputs.NAME}`, or `$${` for the characters themselves",
        zh: "请写成 `${steps.ID.outputs.NAME}`；如需字符本身，请写 `$${`"
    }
    TEMPLATE_PATH = "playbook.template_path" {
        en: "`${…}` holds a value's path, not an expression",
        zh: "`${…}` 中只能写取值路径，不能写表达式"
    }
    TEMPLATE_PATH_HINT = "playbook.template_path_hint" {
        en: "write a path such as `${steps.backup.outputs.backup_id}`, `${vars.env}` or `${run.date}`",
        zh: "请写路径，如 `${steps.backup.outputs.backup_id}`、`${vars.env}` 或 `${run.date}`"
    }

    // --- the `when` language ---
    EXPR_SINGLE_EQ = "playbook.expr_single_eq" {
        en: "`=` is not an operator here",
        zh: "此处 `=` 不是运算符"
    }
    EXPR_SINGLE_EQ_HINT = "playbook.expr_single_eq_hint" {
        en: "compare with `==`",
        zh: "比较请用 `==`"
    }
    EXPR_SINGLE_AND_OR = "playbook.expr_single_and_or" {
        en: "`{op}` is not an operator here",
        zh: "此处 `{op}` 不是运算符"
    }
    EXPR_SINGLE_AND_OR_HINT = "playbook.expr_single_and_or_hint" {
        en: "write `{op}`",
        zh: "请写 `{op}`"
    }
    EXPR_WORD_OP = "playbook.expr_word_op" {
        en: "`{word}` is not an operator here",
        zh: "此处 `{word}` 不是运算符"
    }
    EXPR_WORD_OP_HINT = "playbook.expr_word_op_hint" {
        en: "write `&&` for and, `||` for or, `!` for not",
        zh: "“与”请写 `&&`，“或”请写 `||`，“非”请写 `!`"
    }
    EXPR_CHAR = "playbook.expr_char" {
        en: "unexpected character `{char}`",
        zh: "意外的字符 `{char}`"
    }
    EXPR_NUMBER = "playbook.expr_number" {
        en: "`{got}` is not a number",
        zh: "`{got}` 不是数字"
    }
    EXPR_NUMBER_HINT = "playbook.expr_number_hint" {
        en: "write numbers such as 5, 0.5 or -1",
        zh: "数字请写成 5、0.5 或 -1 这样的形式"
    }
    EXPR_UNTERMINATED = "playbook.expr_unterminated" {
        en: "the text is not closed",
        zh: "文本缺少结束引号"
    }
    EXPR_UNTERMINATED_HINT = "playbook.expr_unterminated_hint" {
        en: "end it with {quote}",
        zh: "请以 {quote} 结束"
    }
    EXPR_EMPTY = "playbook.expr_empty" {
        en: "the condition is empty",
        zh: "条件为空"
    }
    EXPR_SYNTAX_HINT = "playbook.expr_syntax_hint" {
        en: "conditions look like `steps.backup.ok && vars.env == 'prod'`",
        zh: "条件的写法如 `steps.backup.ok && vars.env == 'prod'`"
    }
    EXPR_UNEXPECTED = "playbook.expr_unexpected" {
        en: "unexpected `{token}`",
        zh: "意外的 `{token}`"
    }
    EXPR_TRAILING_HINT = "playbook.expr_trailing_hint" {
        en: "join conditions with `&&` or `||`",
        zh: "多个条件请用 `&&` 或 `||` 连接"
    }
    EXPR_EXPECTED = "playbook.expr_expected" {
        en: "expected {wanted}, found `{got}`",
        zh: "此处应为 {wanted}，实际为 `{got}`"
    }
    EXPR_EXPECTED_END = "playbook.expr_expected_end" {
        en: "expected {wanted} at the end",
        zh: "结尾处缺少 {wanted}"
    }
    EXPR_CHAINED = "playbook.expr_chained" {
        en: "comparisons cannot be chained",
        zh: "比较运算不能连写"
    }
    EXPR_CHAINED_HINT = "playbook.expr_chained_hint" {
        en: "write `a < b && b < c`",
        zh: "请写成 `a < b && b < c`"
    }
    EXPR_SUGGEST_HINT = "playbook.expr_suggest_hint" {
        en: "did you mean `{suggestion}`? allowed here: {allowed}",
        zh: "是否想写 `{suggestion}`？此处可用：{allowed}"
    }
    EXPR_ALLOWED_HINT = "playbook.expr_allowed_hint" {
        en: "allowed here: {allowed}",
        zh: "此处可用：{allowed}"
    }
    EXPR_PATH_SHORT = "playbook.expr_path_short" {
        en: "`{path}` is not a complete value",
        zh: "`{path}` 不是完整的取值路径"
    }
    EXPR_STEPS_PATH_HINT = "playbook.expr_steps_path_hint" {
        en: "write `steps.ID.ok`, `steps.ID.status` or `steps.ID.outputs.NAME`",
        zh: "请写成 `steps.ID.ok`、`steps.ID.status` 或 `steps.ID.outputs.NAME`"
    }
    EXPR_PATH_TOO_LONG = "playbook.expr_path_too_long" {
        en: "`{path}` goes on past a complete value",
        zh: "`{path}` 在完整取值之后还有多余部分"
    }
    EXPR_PATH_TOO_LONG_HINT = "playbook.expr_path_too_long_hint" {
        en: "end the path at `{path}`",
        zh: "路径应止于 `{path}`"
    }
    EXPR_UNKNOWN_STEP = "playbook.expr_unknown_step" {
        en: "there is no step `{step}`",
        zh: "不存在步骤 `{step}`"
    }
    EXPR_SELF = "playbook.expr_self" {
        en: "the step `{step}` cannot read its own result before it runs",
        zh: "步骤 `{step}` 在运行前不能读取自己的结果"
    }
    EXPR_SELF_HINT = "playbook.expr_self_hint" {
        en: "read it in a later step, or in this step's `on_failure`",
        zh: "请在后续步骤或本步骤的 `on_failure` 中读取"
    }
    EXPR_NOT_NEEDED = "playbook.expr_not_needed" {
        en: "`{this}` reads the step `{step}` but does not need it, so it may run first",
        zh: "`{this}` 读取了步骤 `{step}`，但没有依赖它，因此可能先于它运行"
    }
    EXPR_NOT_NEEDED_HINT = "playbook.expr_not_needed_hint" {
        en: "add `{step}` to this step's `needs`",
        zh: "请把 `{step}` 加入本步骤的 `needs`"
    }
    EXPR_UNKNOWN_OUTPUT = "playbook.expr_unknown_output" {
        en: "the {action} action has no output `{name}`",
        zh: "{action} 动作没有名为 `{name}` 的输出"
    }
    EXPR_UNKNOWN_FIELD = "playbook.expr_unknown_field" {
        en: "`{path}` has no `{name}`",
        zh: "`{path}` 没有 `{name}`"
    }
    EXPR_UNKNOWN_VAR = "playbook.expr_unknown_var" {
        en: "there is no variable `{name}`",
        zh: "不存在变量 `{name}`"
    }
    EXPR_NO_VARS_HINT = "playbook.expr_no_vars_hint" {
        en: "define it under `vars:` as `{name}: VALUE`",
        zh: "请在 `vars:` 下定义为 `{name}: 值`"
    }
    EXPR_UNKNOWN_ROOT = "playbook.expr_unknown_root" {
        en: "`{name}` is not a value a condition can read",
        zh: "条件中不能读取 `{name}`"
    }
    EXPR_UNKNOWN_FUNCTION = "playbook.expr_unknown_function" {
        en: "there is no function `{name}()`",
        zh: "不存在函数 `{name}()`"
    }
    EXPR_WANT_BOOL_NUM = "playbook.expr_want_bool_num" {
        en: "`&&`, `||` and `!` work on true/false, not on a number",
        zh: "`&&`、`||` 和 `!` 只能用于 true/false，不能用于数字"
    }
    EXPR_WANT_BOOL_STR = "playbook.expr_want_bool_str" {
        en: "`&&`, `||` and `!` work on true/false, not on text",
        zh: "`&&`、`||` 和 `!` 只能用于 true/false，不能用于文本"
    }
    EXPR_ORDER_BOOL = "playbook.expr_order_bool" {
        en: "`{op}` compares numbers, not true/false",
        zh: "`{op}` 只能比较数字，不能比较 true/false"
    }
    EXPR_ORDER_STR = "playbook.expr_order_str" {
        en: "`{op}` compares numbers, not text",
        zh: "`{op}` 只能比较数字，不能比较文本"
    }
    EXPR_COMPARE_STR_NUM = "playbook.expr_compare_str_num" {
        en: "text is compared with a number",
        zh: "文本与数字之间不能比较"
    }
    EXPR_COMPARE_STR_BOOL = "playbook.expr_compare_str_bool" {
        en: "text is compared with true/false",
        zh: "文本与 true/false 之间不能比较"
    }
    EXPR_COMPARE_NUM_BOOL = "playbook.expr_compare_num_bool" {
        en: "a number is compared with true/false",
        zh: "数字与 true/false 之间不能比较"
    }
    EXPR_NOT_CONDITION_NUM = "playbook.expr_not_condition_num" {
        en: "a condition must be true or false, but this is a number",
        zh: "条件必须为 true 或 false，但这里是数字"
    }
    EXPR_NOT_CONDITION_STR = "playbook.expr_not_condition_str" {
        en: "a condition must be true or false, but this is text",
        zh: "条件必须为 true 或 false，但这里是文本"
    }
    EXPR_WANT_BOOL_HINT = "playbook.expr_want_bool_hint" {
        en: "compare the value first, e.g. `steps.q.outputs.rows > 0`",
        zh: "请先比较该值，例如 `steps.q.outputs.rows > 0`"
    }
    EXPR_ORDER_TYPE_HINT = "playbook.expr_order_type_hint" {
        en: "use `==` or `!=` for text and true/false",
        zh: "文本和 true/false 请用 `==` 或 `!=` 比较"
    }
    EXPR_COMPARE_TYPES_HINT = "playbook.expr_compare_types_hint" {
        en: "compare values of one kind: quote text ('prod'), not numbers (5) or true/false",
        zh: "请比较同类的值：文本需加引号（'prod'），数字（5）和 true/false 不加"
    }
    EXPR_NOT_CONDITION_HINT = "playbook.expr_not_condition_hint" {
        en: "compare it, e.g. `steps.q.outputs.rows > 0` or `vars.env == 'prod'`",
        zh: "请进行比较，例如 `steps.q.outputs.rows > 0` 或 `vars.env == 'prod'`"
    }
    EXPR_UNSET = "playbook.expr_unset" {
        en: "`{path}` has no value (its step did not run or did not produce it)",
        zh: "`{path}` 没有值（对应步骤未运行或未产生该值）"
    }
    EXPR_RUNTIME_COMPARE = "playbook.expr_runtime_compare" {
        en: "cannot compare `{left}` with `{right}`",
        zh: "无法比较 `{left}` 与 `{right}`"
    }
    EXPR_RUNTIME_NOT_BOOL = "playbook.expr_runtime_not_bool" {
        en: "`{got}` is not true or false",
        zh: "`{got}` 不是 true 或 false"
    }
    EXPECT_SYNTAX = "playbook.expect_syntax" {
        en: "`{got}` is not an expectation",
        zh: "`{got}` 不是有效的期望值写法"
    }
    EXPECT_SYNTAX_HINT = "playbook.expect_syntax_hint" {
        en: "write an operator and a value in quotes, e.g. \"> 0\", \"= 0\", \"!= 'x'\", or just a value",
        zh: "请写运算符和值并加引号，例如 \"> 0\"、\"= 0\"、\"!= 'x'\"，或只写一个值"
    }
    EXPECT_ORDER = "playbook.expect_order" {
        en: "`{op}` compares numbers",
        zh: "`{op}` 只能比较数字"
    }
    EXPECT_ORDER_HINT = "playbook.expect_order_hint" {
        en: "compare text with `=` or `!=`",
        zh: "文本请用 `=` 或 `!=` 比较"
    }
    EXPECT_FAILED = "playbook.expect_failed" {
        en: "the query returned {got}, expected {expect}",
        zh: "查询结果为 {got}，期望 {expect}"
    }

    // --- running ---
    RENDER_HINT = "run.render_hint" {
        en: "a value a `${…}` names was not produced: check that the step it comes from ran and succeeded",
        zh: "`${…}` 引用的值没有产生：请确认提供该值的步骤已运行且成功"
    }
    RUN_UNKNOWN = "run.unknown" {
        en: "the {kind} `{name}` is not defined",
        zh: "{kind} `{name}` 未定义"
    }
    RUN_UNKNOWN_HINT = "run.unknown_hint" {
        en: "run `dbkeeper validate` on the playbook: the config may have changed since it was checked",
        zh: "请对剧本运行 `dbkeeper validate`：配置可能在检查之后发生了变化"
    }
    LOCK_FILE = "run.lock_file" {
        en: "cannot create the lock file `{path}`",
        zh: "无法创建锁文件 `{path}`"
    }
    LOCK_FILE_HINT = "run.lock_file_hint" {
        en: "check that the state directory is writable (--state-dir or DBKEEPER_STATE_DIR)",
        zh: "请确认状态目录可写（--state-dir 或 DBKEEPER_STATE_DIR）"
    }
    LOCK_HELD = "run.lock_held" {
        en: "`{name}` is already running (process {pid})",
        zh: "`{name}` 正在运行中（进程 {pid}）"
    }
    LOCK_HELD_HINT = "run.lock_held_hint" {
        en: "wait for that run to finish; two runs of one job never overlap",
        zh: "请等待该次运行结束；同一任务的两次运行不会重叠"
    }
    STEP_TIMEOUT = "run.step_timeout" {
        en: "the step `{step}` did not finish within {after}",
        zh: "步骤 `{step}` 未在 {after} 内完成"
    }
    STEP_TIMEOUT_HINT = "run.step_timeout_hint" {
        en: "raise the step's `timeout`, or find out why it is slow",
        zh: "请调大该步骤的 `timeout`，或排查其缓慢的原因"
    }
    SKIP_EARLIER_FAILED = "run.skip_earlier_failed" {
        en: "an earlier step failed",
        zh: "之前的步骤已失败"
    }
    SKIP_WHEN = "run.skip_when" {
        en: "`{when}` is false",
        zh: "`{when}` 为假"
    }
    SKIP_WHEN_ERROR = "run.skip_when_error" {
        en: "`{when}` could not be evaluated: {why}",
        zh: "`{when}` 无法求值：{why}"
    }
    SQL_NO_ROWS = "run.sql_no_rows" {
        en: "the query returned no rows, expected {expect}",
        zh: "查询没有返回任何行，期望 {expect}"
    }
    SQL_EXPECT_HINT = "run.sql_expect_hint" {
        en: "run the query by hand to see what it returns; the first column of the first row is checked",
        zh: "请手动执行该查询查看结果；检查的是第一行的第一列"
    }
    NOTIFY_STEP_FAILED = "run.notify_step_failed" {
        en: "{count} channel(s) could not be told",
        zh: "有 {count} 个通知渠道发送失败"
    }
    NOTIFY_FAILED_HINT = "run.notify_failed_hint" {
        en: "check the channel's URL and secret references and that the host can reach it",
        zh: "请检查渠道的 URL 和密钥引用，以及本机能否访问该渠道"
    }
    HTTP_CLIENT = "run.http_client" {
        en: "cannot set up the HTTPS client for notifications",
        zh: "无法初始化用于通知的 HTTPS 客户端"
    }
    REPORT_STEP_FAILED = "run.report_step_failed" {
        en: "step `{step}` ({action}) failed after {attempts} attempt(s):",
        zh: "步骤 `{step}`（{action}）在尝试 {attempts} 次后失败："
    }
    REPORT_UNDELIVERED = "run.report_undelivered" {
        en: "warning: the notification to `{channel}` ({kind}) was not delivered after {attempts} attempt(s): {error}",
        zh: "警告：发往 `{channel}`（{kind}）的通知在尝试 {attempts} 次后仍未送达：{error}"
    }
    REPORT_OK = "run.report_ok" {
        en: "playbook `{playbook}` succeeded in {duration}",
        zh: "剧本 `{playbook}` 运行成功，用时 {duration}"
    }
    REPORT_FAILED = "run.report_failed" {
        en: "playbook `{playbook}` failed after {duration}",
        zh: "剧本 `{playbook}` 运行失败，用时 {duration}"
    }
    REPORT_ALREADY_RAN = "run.report_already_ran" {
        en: "playbook `{playbook}` already ran for the slot {slot} (run {run}); nothing to do",
        zh: "剧本 `{playbook}` 已在时间槽 {slot} 运行过（运行 {run}），无需再次运行"
    }
    REPORT_PLANNED = "run.report_planned" {
        en: "dry run of `{playbook}`: nothing was done",
        zh: "剧本 `{playbook}` 的演练：未做任何操作"
    }
    PLAN_INSPECT = "run.plan_inspect" {
        en: "inspect {target} with the {profile} profile, report: {report}",
        zh: "按 {profile} 方案巡检 {target}，报告：{report}"
    }
    PLAN_BACKUP = "run.plan_backup" {
        en: "back up {target} ({kind}) to {repos}",
        zh: "将 {target}（{kind}）备份到 {repos}"
    }
    PLAN_VERIFY = "run.plan_verify" {
        en: "restore {backup} from {repo} into a scratch instance and check it ({sanity} sanity queries)",
        zh: "从 {repo} 将 {backup} 还原到临时实例并检查（{sanity} 条校验查询）"
    }
    PLAN_PRUNE = "run.plan_prune" {
        en: "delete the backups in {repo} that its retention no longer keeps",
        zh: "删除 {repo} 中按保留策略不再保留的备份"
    }
    PLAN_PRUNE_DRY = "run.plan_prune_dry" {
        en: "list the backups in {repo} that its retention no longer keeps",
        zh: "列出 {repo} 中按保留策略不再保留的备份"
    }
    PLAN_SQL = "run.plan_sql" {
        en: "run `{query}` on {target}, expect {expect}",
        zh: "在 {target} 上执行 `{query}`，期望 {expect}"
    }
    PLAN_NOTIFY = "run.plan_notify" {
        en: "send a message to {channels}",
        zh: "向 {channels} 发送消息"
    }
    PLAN_RESERVED = "run.plan_reserved" {
        en: "run the {action} action",
        zh: "执行 {action} 动作"
    }

    // --- notifications ---
    SUMMARY_FAILED = "notify.summary_failed" {
        en: "[dbkeeper] {playbook} FAILED",
        zh: "[dbkeeper] {playbook} 运行失败"
    }
    SUMMARY_RECOVERED = "notify.summary_recovered" {
        en: "[dbkeeper] {playbook} recovered",
        zh: "[dbkeeper] {playbook} 已恢复正常"
    }
    SUMMARY_OK = "notify.summary_ok" {
        en: "[dbkeeper] {playbook} succeeded",
        zh: "[dbkeeper] {playbook} 运行成功"
    }
    SUMMARY_FACTS = "notify.summary_facts" {
        en: "host {host}, started {started}, took {duration}, run {run}",
        zh: "主机 {host}，开始于 {started}，用时 {duration}，运行编号 {run}"
    }
    SUMMARY_SLOT = "notify.summary_slot" {
        en: "scheduled for {slot}",
        zh: "计划时间 {slot}"
    }
    SUMMARY_REPORT = "notify.summary_report" {
        en: "report: {path}",
        zh: "报告：{path}"
    }

    // --- cron expressions and schedules ---
    SCHEDULE_READ = "schedule.read" {
        en: "cannot read the schedule `{path}`",
        zh: "无法读取定时计划 `{path}`"
    }
    SCHEDULE_DIR = "schedule.dir" {
        en: "cannot read the schedules folder `{path}`",
        zh: "无法读取定时计划目录 `{path}`"
    }
    SCHEDULE_DIR_HINT = "schedule.dir_hint" {
        en: "give the folder that holds the schedule files (schedules/ by default)",
        zh: "请指定存放定时计划文件的目录（默认为 schedules/）"
    }
    JOB_NAME = "schedule.job_name" {
        en: "`{name}` cannot be a job name (it is the file's name)",
        zh: "`{name}` 不能用作任务名称（任务名称即文件名）"
    }
    SCHEDULE_PLAYBOOK_MISSING = "schedule.playbook_missing" {
        en: "the playbook `{path}` does not exist",
        zh: "剧本 `{path}` 不存在"
    }
    SCHEDULE_PLAYBOOK_MISSING_HINT = "schedule.playbook_missing_hint" {
        en: "give the playbook's path relative to this schedule's folder, e.g. ../playbooks/nightly-backup.yaml",
        zh: "请填写相对于本计划文件所在目录的剧本路径，例如 ../playbooks/nightly-backup.yaml"
    }
    TZ_UNKNOWN = "schedule.tz_unknown" {
        en: "`{got}` is not a time zone",
        zh: "`{got}` 不是有效的时区"
    }
    TZ_SUGGEST_HINT = "schedule.tz_suggest_hint" {
        en: "did you mean `{suggestion}`? zones are IANA names such as Asia/Shanghai",
        zh: "是否想写 `{suggestion}`？时区请使用 IANA 名称，如 Asia/Shanghai"
    }
    TZ_HINT = "schedule.tz_hint" {
        en: "use an IANA name such as Asia/Shanghai, Europe/Berlin or UTC",
        zh: "请使用 IANA 名称，如 Asia/Shanghai、Europe/Berlin 或 UTC"
    }
    TIME_FORMAT = "schedule.time_format" {
        en: "`{got}` is not a time",
        zh: "`{got}` 不是有效的时间"
    }
    TIME_FORMAT_HINT = "schedule.time_format_hint" {
        en: "write `now` or RFC 3339 with an offset, e.g. 2026-03-01T01:30:00+08:00",
        zh: "请写 `now`，或带时区偏移的 RFC 3339 时间，例如 2026-03-01T01:30:00+08:00"
    }
    K8S_CRON = "schedule.k8s_cron" {
        en: "the schedule of `{job}` (`{cron}`) cannot be written for Kubernetes",
        zh: "`{job}` 的定时（`{cron}`）无法转换为 Kubernetes 的写法"
    }
    K8S_CRON_HINT = "schedule.k8s_cron_hint" {
        en: "Kubernetes reads `*/2` in a day field as restricted and ORs the day fields; list the days instead of a `*/N` step",
        zh: "Kubernetes 把日字段中的 `*/2` 视为受限并对两个日字段取“或”；请直接列出日期，不要用 `*/N` 步长"
    }
    LAUNCH = "schedule.launch" {
        en: "cannot start `{exe}`",
        zh: "无法启动 `{exe}`"
    }
    SLOT_TOO_LATE = "schedule.slot_too_late" {
        en: "not running `{job}`: its slot {slot} is {late} past, more than its max_lateness of {max}",
        zh: "不运行 `{job}`：其计划时间 {slot} 已过去 {late}，超过允许的最大延迟 {max}"
    }
    SLOT_NONE = "schedule.slot_none" {
        en: "not running `{job}`: its schedule has not fired yet",
        zh: "不运行 `{job}`：其定时尚未触发过"
    }
    CRON_MACRO = "schedule.cron_macro" {
        en: "`{got}` is not a cron shorthand",
        zh: "`{got}` 不是 cron 简写"
    }
    CRON_MACRO_HINT = "schedule.cron_macro_hint" {
        en: "use @yearly, @monthly, @weekly, @daily, @hourly, or five fields (@reboot is not a schedule)",
        zh: "请用 @yearly、@monthly、@weekly、@daily、@hourly 或五个字段（@reboot 不是定时）"
    }
    CRON_FIELDS = "schedule.cron_fields" {
        en: "a cron expression has 5 fields, this one has {count}",
        zh: "cron 表达式应有 5 个字段，这里有 {count} 个"
    }
    CRON_FIELDS_HINT = "schedule.cron_fields_hint" {
        en: "write minute hour day-of-month month day-of-week, e.g. \"30 1 * * *\"",
        zh: "请按 分 时 日 月 周 的顺序书写，例如 \"30 1 * * *\""
    }
    CRON_SIX_FIELDS_HINT = "schedule.cron_six_fields_hint" {
        en: "dbkeeper takes 5 fields without seconds: remove the first field",
        zh: "dbkeeper 使用不含秒的 5 个字段：请删除第一个字段"
    }
    CRON_EMPTY_ITEM = "schedule.cron_empty_item" {
        en: "the {field} field has an empty item",
        zh: "{field}字段中有空项"
    }
    CRON_SYNTAX_HINT = "schedule.cron_syntax_hint" {
        en: "each field is a comma list of *, N, A-B, */S or A-B/S",
        zh: "每个字段是以逗号分隔的 *、N、A-B、*/S 或 A-B/S"
    }
    CRON_STEP = "schedule.cron_step" {
        en: "`{got}` is not a step",
        zh: "`{got}` 不是有效的步长"
    }
    CRON_STEP_HINT = "schedule.cron_step_hint" {
        en: "a step is a whole number from 1, as in */15",
        zh: "步长应为不小于 1 的整数，如 */15"
    }
    CRON_STEP_WITHOUT_RANGE = "schedule.cron_step_without_range" {
        en: "`{got}` has a step without a range",
        zh: "`{got}` 有步长但没有范围"
    }
    CRON_STEP_WITHOUT_RANGE_HINT = "schedule.cron_step_without_range_hint" {
        en: "cron implementations read this differently; write `{fixed}`",
        zh: "不同的 cron 实现对此理解不同；请写成 `{fixed}`"
    }
    CRON_RANGE_ORDER = "schedule.cron_range_order" {
        en: "the range `{got}` runs backwards",
        zh: "范围 `{got}` 起止颠倒"
    }
    CRON_RANGE_ORDER_HINT = "schedule.cron_range_order_hint" {
        en: "write the smaller value first; for a range across the end, use a list such as 22-23,0-2",
        zh: "请先写较小的值；跨越末尾的范围请写成列表，如 22-23,0-2"
    }
    CRON_VALUE = "schedule.cron_value" {
        en: "`{got}` is not a value of the {field} field",
        zh: "`{got}` 不是{field}字段的有效取值"
    }
    CRON_OUT_OF_RANGE = "schedule.cron_out_of_range" {
        en: "{got} is out of range for the {field} field",
        zh: "{got} 超出了{field}字段的范围"
    }
    CRON_RANGE_HINT = "schedule.cron_range_hint" {
        en: "the {field} field takes {min} to {max}",
        zh: "{field}字段的取值范围是 {min} 到 {max}"
    }
    CRON_NAMES_HINT = "schedule.cron_names_hint" {
        en: "the {field} field takes {min} to {max} or {names}",
        zh: "{field}字段的取值为 {min} 到 {max}，或 {names}"
    }
    CRON_NEVER = "schedule.cron_never" {
        en: "`{cron}` never fires: no month has that day",
        zh: "`{cron}` 永远不会触发：没有哪个月有这一天"
    }
    CRON_NEVER_HINT = "schedule.cron_never_hint" {
        en: "check the day of month and the month; for the last day of a month, run on day 1 and look back",
        zh: "请检查日期和月份；如需每月最后一天，可在每月 1 日运行并处理上个月"
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn catalogue_is_complete() {
        dbkeeper_core::i18n::check_catalogue(super::ALL).expect("catalogue");
    }
}
