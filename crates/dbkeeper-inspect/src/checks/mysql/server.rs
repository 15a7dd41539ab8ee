//! Availability, version, configuration sanity and memory for MySQL/MariaDB, mostly the rules of
//! MySQLTuner (MT) and pt-variable-advisor (PVA) with their thresholds (research §3.2, §3.3,
//! §4.2), and ratios from counter snapshots instead of lifetime totals.

use dbkeeper_core::Text;

use crate::check::{setting, Ctx, Def, Eval, Outcome, SettingVal, Skip};
use crate::checks::{check, common};
use crate::model::{Group, Status};
use crate::threshold::{bytes, count, human_bytes, human_secs, pct};
use crate::value;

pub(crate) mod msg {
    dbkeeper_core::catalogue! {
        AV_001 = "inspect.my.av_001" { en: "server answers queries", zh: "服务器可正常响应查询" }
        AV_001_FIX = "inspect.my.av_001_fix" {
            en: "check that the server runs, listens on this address and accepts this account",
            zh: "请确认服务器在运行、监听该地址并允许该账户登录"
        }
        AV_002 = "inspect.my.av_002" { en: "server role (source or replica, read-only)", zh: "服务器角色（主库或从库、只读）" }
        AV_002_FIX = "inspect.my.av_002_fix" {
            en: "no action: the role decides which checks apply",
            zh: "无需处理：角色决定哪些检查项适用"
        }
        AV_002_SEEN = "inspect.my.av_002_seen" {
            en: "{role}; read_only = {read_only}",
            zh: "{role}；read_only = {read_only}"
        }
        AV_005 = "inspect.my.av_005" { en: "the inspecting account can see everything", zh: "巡检账户有足够的查看权限" }
        AV_005_FIX = "inspect.my.av_005_fix" {
            en: "grant the inspecting account PROCESS, REPLICATION CLIENT (SLAVE MONITOR on MariaDB) and SELECT on mysql.* and performance_schema.*",
            zh: "请授予巡检账户 PROCESS、REPLICATION CLIENT（MariaDB 为 SLAVE MONITOR）以及 mysql.* 与 performance_schema.* 的 SELECT 权限"
        }
        AV_005_SUPER = "inspect.my.av_005_super" { en: "{user} holds SUPER", zh: "{user} 拥有 SUPER 权限" }
        AV_005_PARTIAL = "inspect.my.av_005_partial" {
            en: "{user} lacks {missing}: checks that need them are reported as not run",
            zh: "{user} 缺少 {missing}：需要这些权限的检查项将标记为未执行"
        }
        VER_003 = "inspect.my.ver_003" { en: "a release (not debug) build", zh: "正式版本（非调试版）" }
        VER_003_FIX = "inspect.my.ver_003_fix" {
            en: "debug builds are slow and not for production: install the distribution's release package",
            zh: "调试版本性能差，不可用于生产：请安装发行版的正式软件包"
        }
        VER_004 = "inspect.my.ver_004" { en: "a long-term support release series", zh: "长期支持（LTS）版本系列" }
        VER_004_FIX = "inspect.my.ver_004_fix" {
            en: "short-term (MariaDB rolling, MySQL innovation) releases are supported for months only: for a regulated system prefer an LTS series (MariaDB 10.11, 11.4; MySQL 8.4)",
            zh: "短期版本（MariaDB 滚动版、MySQL 创新版）仅支持数月：受监管系统建议使用 LTS 系列（MariaDB 10.11、11.4；MySQL 8.4）"
        }
        VER_004_SEEN = "inspect.my.ver_004_seen" { en: "{product} {branch}: LTS = {lts}", zh: "{product} {branch}：LTS = {lts}" }
        CFG_001 = "inspect.my.cfg_001" { en: "commits are durable (innodb_flush_log_at_trx_commit)", zh: "提交已持久化（innodb_flush_log_at_trx_commit）" }
        CFG_001_FIX = "inspect.my.cfg_001_fix" {
            en: "set innodb_flush_log_at_trx_commit = 1: with 0 or 2 up to a second of committed transactions is lost in a crash (PVA; 2 is never worse than 0)",
            zh: "请设置 innodb_flush_log_at_trx_commit = 1：设为 0 或 2 时崩溃会丢失最多约 1 秒已提交的事务（PVA；2 总比 0 好）"
        }
        CFG_002 = "inspect.my.cfg_002" { en: "binary log is synced at commit", zh: "二进制日志在提交时同步落盘" }
        CFG_002_FIX = "inspect.my.cfg_002_fix" {
            en: "set sync_binlog = 1 so that a crash cannot lose transactions from the binary log (replicas and point-in-time recovery depend on it)",
            zh: "请设置 sync_binlog = 1，避免崩溃时二进制日志丢失事务（从库和时间点恢复依赖它）"
        }
        CFG_003 = "inspect.my.cfg_003" { en: "binary logging is on", zh: "已开启二进制日志" }
        CFG_003_FIX = "inspect.my.cfg_003_fix" {
            en: "enable the binary log (log_bin, server_id; restart): without it there is no point-in-time recovery and no replica",
            zh: "请开启二进制日志（log_bin、server_id；需重启）：否则无法进行时间点恢复，也无法搭建从库"
        }
        CFG_004 = "inspect.my.cfg_004" { en: "binary logs expire", zh: "二进制日志会自动过期" }
        CFG_004_FIX = "inspect.my.cfg_004_fix" {
            en: "set binlog_expire_logs_seconds (or expire_logs_days) so that binary logs do not fill the disk; keep them longer than the interval between full backups",
            zh: "请设置 binlog_expire_logs_seconds（或 expire_logs_days），避免二进制日志写满磁盘；保留时间应长于两次全量备份的间隔"
        }
        CFG_005 = "inspect.my.cfg_005" { en: "InnoDB doublewrite is on", zh: "已开启 InnoDB 双写" }
        CFG_005_FIX = "inspect.my.cfg_005_fix" {
            en: "set innodb_doublewrite = ON (restart): without it a crash during a page write can leave torn pages that cannot be recovered (等保 8.1.4.7b)",
            zh: "请设置 innodb_doublewrite = ON（需重启）：否则写页过程中崩溃可能产生无法恢复的半写页（等保 8.1.4.7b）"
        }
        CFG_006 = "inspect.my.cfg_006" { en: "InnoDB page checksums are on", zh: "已开启 InnoDB 页校验" }
        CFG_006_FIX = "inspect.my.cfg_006_fix" {
            en: "set innodb_checksum_algorithm to crc32 or full_crc32 so that corrupt pages are detected (等保 8.1.4.7b)",
            zh: "请将 innodb_checksum_algorithm 设为 crc32 或 full_crc32，以便发现损坏的数据页（等保 8.1.4.7b）"
        }
        CFG_007 = "inspect.my.cfg_007" { en: "no forced InnoDB recovery", zh: "未处于 InnoDB 强制恢复模式" }
        CFG_007_FIX = "inspect.my.cfg_007_fix" {
            en: "innodb_force_recovery is for rescuing data after corruption: dump what is needed, rebuild, and set it back to 0",
            zh: "innodb_force_recovery 仅用于损坏后抢救数据：导出所需数据并重建后，请设回 0"
        }
        CFG_008 = "inspect.my.cfg_008" { en: "replication errors are not skipped", zh: "未跳过复制错误" }
        CFG_008_FIX = "inspect.my.cfg_008_fix" {
            en: "remove slave_skip_errors / replica_skip_errors: skipped errors silently make the replica differ from its source",
            zh: "请删除 slave_skip_errors / replica_skip_errors：跳过错误会让从库与主库悄悄不一致"
        }
        CFG_009 = "inspect.my.cfg_009" { en: "row-based binary logging", zh: "二进制日志使用 ROW 格式" }
        CFG_009_FIX = "inspect.my.cfg_009_fix" {
            en: "set binlog_format = ROW: statement and mixed formats can replicate non-deterministic statements differently (MT)",
            zh: "请设置 binlog_format = ROW：STATEMENT 与 MIXED 格式可能使非确定性语句在从库上结果不同（MT）"
        }
        CFG_010 = "inspect.my.cfg_010" { en: "binary log events carry checksums", zh: "二进制日志事件带校验和" }
        CFG_010_FIX = "inspect.my.cfg_010_fix" {
            en: "set binlog_checksum = CRC32 so that corrupt binary log events are detected (等保 8.1.4.7b)",
            zh: "请设置 binlog_checksum = CRC32，以便发现损坏的二进制日志事件（等保 8.1.4.7b）"
        }
        CFG_011 = "inspect.my.cfg_011" { en: "usual transaction isolation level", zh: "事务隔离级别常规" }
        CFG_011_FIX = "inspect.my.cfg_011_fix" {
            en: "use REPEATABLE-READ or READ-COMMITTED: READ-UNCOMMITTED reads uncommitted data, SERIALIZABLE locks every read (PVA)",
            zh: "请使用 REPEATABLE-READ 或 READ-COMMITTED：READ-UNCOMMITTED 会读到未提交数据，SERIALIZABLE 会对每次读加锁（PVA）"
        }
        CFG_012 = "inspect.my.cfg_012" { en: "no DNS lookup per connection", zh: "连接时不做 DNS 反查" }
        CFG_012_FIX = "inspect.my.cfg_012_fix" {
            en: "set skip_name_resolve = ON (restart) and write account hosts as IP addresses: a slow DNS makes every login slow (MT)",
            zh: "请设置 skip_name_resolve = ON（需重启）并用 IP 地址书写账户的主机部分：DNS 慢会拖慢每次登录（MT）"
        }
        CFG_013 = "inspect.my.cfg_013" { en: "one tablespace file per table", zh: "每张表独立表空间文件" }
        CFG_013_FIX = "inspect.my.cfg_013_fix" {
            en: "set innodb_file_per_table = ON: otherwise dropped tables never give space back to the disk (MT)",
            zh: "请设置 innodb_file_per_table = ON：否则删除的表不会把空间还给磁盘（MT）"
        }
        CFG_014 = "inspect.my.cfg_014" { en: "performance_schema is on", zh: "已开启 performance_schema" }
        CFG_014_FIX = "inspect.my.cfg_014_fix" {
            en: "set performance_schema = ON (restart): without it unused indexes and slow statements cannot be found (MT; MariaDB ships it off)",
            zh: "请设置 performance_schema = ON（需重启）：否则无法发现未使用的索引和慢 SQL（MT；MariaDB 默认关闭）"
        }
        CFG_015 = "inspect.my.cfg_015" { en: "max_connections is not huge", zh: "max_connections 未设得过大" }
        CFG_015_FIX = "inspect.my.cfg_015_fix" {
            en: "thousands of connections thrash the CPU: use a connection pool or the thread pool and lower max_connections (PVA)",
            zh: "上千个连接会导致 CPU 抖动：请使用连接池或线程池，并调低 max_connections（PVA）"
        }
        CFG_016 = "inspect.my.cfg_016" { en: "row-lock waits are bounded", zh: "行锁等待时间有上限" }
        CFG_016_FIX = "inspect.my.cfg_016_fix" {
            en: "keep innodb_lock_wait_timeout at 50 seconds or less so that stuck transactions fail instead of piling up (PVA)",
            zh: "请将 innodb_lock_wait_timeout 保持在 50 秒以内，让卡住的事务失败而不是不断堆积（PVA）"
        }
        CFG_017 = "inspect.my.cfg_017" { en: "per-connection buffers are moderate", zh: "每连接缓冲区大小适中" }
        CFG_017_FIX = "inspect.my.cfg_017_fix" {
            en: "large sort, read, read_rnd or join buffers are allocated per connection and per operation and often slow things down: go back to the defaults unless a benchmark says otherwise (PVA)",
            zh: "较大的 sort、read、read_rnd、join 缓冲区按连接、按操作分配，常常反而变慢：除非有压测依据，请恢复默认值（PVA）"
        }
        CFG_017_SEEN = "inspect.my.cfg_017_seen" { en: "over the limit: {list}", zh: "超过上限：{list}" }
        CFG_018 = "inspect.my.cfg_018" { en: "InnoDB log buffer is not oversized", zh: "InnoDB 日志缓冲区未设得过大" }
        CFG_018_FIX = "inspect.my.cfg_018_fix" {
            en: "a log buffer above 16 MB rarely helps (PVA); raise it only when Innodb_log_waits grows (MY-MEM-005)",
            zh: "日志缓冲区超过 16 MB 很少有用（PVA）；仅在 Innodb_log_waits 增长时（MY-MEM-005）才调大"
        }
        CFG_019 = "inspect.my.cfg_019" { en: "query cache is off or small", zh: "查询缓存关闭或较小" }
        CFG_019_FIX = "inspect.my.cfg_019_fix" {
            en: "the query cache serialises writes: set query_cache_type = 0 and query_cache_size = 0 unless MY-MEM-013 shows it pays (MT, PVA > 128 MB)",
            zh: "查询缓存会使写入串行化：除非 MY-MEM-013 显示其有效，请设置 query_cache_type = 0、query_cache_size = 0（MT、PVA：> 128 MB）"
        }
        CFG_020 = "inspect.my.cfg_020" { en: "tmp_table_size equals max_heap_table_size", zh: "tmp_table_size 与 max_heap_table_size 一致" }
        CFG_020_FIX = "inspect.my.cfg_020_fix" {
            en: "the smaller of the two limits in-memory temporary tables: set both to the same value (MT, PVA)",
            zh: "两者中较小的值决定内存临时表的上限：请设为相同的值（MT、PVA）"
        }
        CFG_020_SEEN = "inspect.my.cfg_020_seen" {
            en: "tmp_table_size {tmp}, max_heap_table_size {heap}",
            zh: "tmp_table_size 为 {tmp}，max_heap_table_size 为 {heap}"
        }
        CFG_021 = "inspect.my.cfg_021" { en: "InnoDB bypasses the OS cache", zh: "InnoDB 绕过操作系统缓存" }
        CFG_021_FIX = "inspect.my.cfg_021_fix" {
            en: "set innodb_flush_method = O_DIRECT to avoid caching data twice (PVA)",
            zh: "请设置 innodb_flush_method = O_DIRECT，避免数据被双重缓存（PVA）"
        }
        CFG_022 = "inspect.my.cfg_022" { en: "logs are not written to tables", zh: "日志未写入表" }
        CFG_022_FIX = "inspect.my.cfg_022_fix" {
            en: "set log_output = FILE: log tables are slow and grow inside the database (PVA)",
            zh: "请设置 log_output = FILE：日志表写入慢且在数据库内不断增长（PVA）"
        }
        CFG_023 = "inspect.my.cfg_023" { en: "open files within the limit", zh: "打开文件数在限制之内" }
        CFG_023_FIX = "inspect.my.cfg_023_fix" {
            en: "raise open_files_limit (and the systemd LimitNOFILE) before the server runs out of file descriptors (MT > 85%)",
            zh: "请在文件描述符耗尽前调大 open_files_limit（以及 systemd 的 LimitNOFILE）（MT：> 85%）"
        }
        CFG_023_SEEN = "inspect.my.cfg_023_seen" {
            en: "{open} of {limit} files open ({pct}%)",
            zh: "已打开 {open}/{limit} 个文件（{pct}%）"
        }
        CFG_024 = "inspect.my.cfg_024" { en: "table definition cache holds every table", zh: "表定义缓存可容纳所有表" }
        CFG_024_FIX = "inspect.my.cfg_024_fix" {
            en: "raise table_definition_cache above the number of tables (MT)",
            zh: "请将 table_definition_cache 调到大于表的数量（MT）"
        }
        CFG_024_SEEN = "inspect.my.cfg_024_seen" {
            en: "table_definition_cache {cache} for {tables} tables",
            zh: "table_definition_cache 为 {cache}，共有 {tables} 张表"
        }
        CFG_025 = "inspect.my.cfg_025" { en: "buffer pool is sized for the host", zh: "缓冲池大小已按主机配置" }
        CFG_025_FIX = "inspect.my.cfg_025_fix" {
            en: "the buffer pool is at its compiled-in default: size it to the data and the host (often 50–75% of RAM on a dedicated server); `dbkeeper advise` proposes a value",
            zh: "缓冲池仍为编译默认值：请按数据量和主机配置（专用服务器常为内存的 50–75%）；可用 `dbkeeper advise` 生成建议值"
        }
        CFG_025_SEEN = "inspect.my.cfg_025_seen" {
            en: "innodb_buffer_pool_size {bp} on a host with {ram}",
            zh: "innodb_buffer_pool_size 为 {bp}，主机内存 {ram}"
        }
        CFG_026 = "inspect.my.cfg_026" { en: "max_connect_errors does not block hosts early", zh: "max_connect_errors 不会过早封锁主机" }
        CFG_026_FIX = "inspect.my.cfg_026_fix" {
            en: "raise max_connect_errors (PVA: as large as possible): it blocks whole hosts after interrupted handshakes; it is not a login-failure lockout (see MY-SEC-013)",
            zh: "请调大 max_connect_errors（PVA：尽可能大）：它在握手中断后封锁整台主机，并非登录失败锁定（见 MY-SEC-013）"
        }
        CFG_027 = "inspect.my.cfg_027" { en: "strict SQL mode", zh: "严格 SQL 模式" }
        CFG_027_FIX = "inspect.my.cfg_027_fix" {
            en: "add STRICT_TRANS_TABLES to sql_mode: without it out-of-range and too-long values are silently changed instead of rejected",
            zh: "请在 sql_mode 中加入 STRICT_TRANS_TABLES：否则超范围或过长的值会被悄悄修改而不是报错"
        }
        CFG_028 = "inspect.my.cfg_028" { en: "server character set is utf8mb4", zh: "服务器字符集为 utf8mb4" }
        CFG_028_FIX = "inspect.my.cfg_028_fix" {
            en: "set character_set_server = utf8mb4 (and its collation): latin1 or utf8mb3 cannot store all Chinese characters and emoji",
            zh: "请设置 character_set_server = utf8mb4（及相应排序规则）：latin1 或 utf8mb3 无法存储全部中文字符和表情符号"
        }
        MEM_001 = "inspect.my.mem_001" { en: "worst-case memory fits in RAM", zh: "最坏情况下的内存占用不超过物理内存" }
        MEM_001_FIX = "inspect.my.mem_001_fix" {
            en: "lower max_connections or the per-thread buffers, or the buffer pool: MT's worst case assumes every connection uses every buffer at once, so it overstates, but above RAM the OOM killer can end the server",
            zh: "请降低 max_connections、每线程缓冲区或缓冲池：MT 的最坏情况假设所有连接同时用满所有缓冲区，会偏高，但超过物理内存时 OOM 可能终止数据库"
        }
        MEM_001_SEEN = "inspect.my.mem_001_seen" {
            en: "up to {total} ({pct}% of {ram}): server buffers {server} + {conns} connections × {per_thread}",
            zh: "最多 {total}（占内存 {ram} 的 {pct}%）：全局缓冲 {server} + {conns} 个连接 × {per_thread}"
        }
        MEM_002 = "inspect.my.mem_002" { en: "buffer pool holds the InnoDB data", zh: "缓冲池可容纳 InnoDB 数据" }
        MEM_002_FIX = "inspect.my.mem_002_fix" {
            en: "the InnoDB data is larger than the buffer pool: raise innodb_buffer_pool_size if RAM allows (never beyond it; MT has no cap, releem-agent#24), or accept more disk reads",
            zh: "InnoDB 数据量大于缓冲池：内存允许时调大 innodb_buffer_pool_size（不可超过物理内存；MT 没有上限，见 releem-agent#24），否则接受更多磁盘读"
        }
        MEM_002_SEEN = "inspect.my.mem_002_seen" {
            en: "buffer pool {bp}, InnoDB data and indexes {data}",
            zh: "缓冲池 {bp}，InnoDB 数据与索引 {data}"
        }
        MEM_003 = "inspect.my.mem_003" { en: "buffer pool read efficiency", zh: "缓冲池读命中率" }
        MEM_003_FIX = "inspect.my.mem_003_fix" {
            en: "reads miss the buffer pool: find statements reading much (performance_schema digests), add indexes, or grow the buffer pool / RAM (expansion advice for the customer)",
            zh: "读请求未命中缓冲池：请定位读量大的 SQL（performance_schema 摘要）、增加索引，或扩大缓冲池/内存（需客户同意的扩容建议）"
        }
        MEM_004 = "inspect.my.mem_004" { en: "no waits for free buffer pool pages", zh: "无等待空闲缓冲页的情况" }
        MEM_004_FIX = "inspect.my.mem_004_fix" {
            en: "threads waited for a clean page: page flushing cannot keep up; raise innodb_io_capacity on fast storage or grow the buffer pool",
            zh: "有线程在等待空闲页：刷脏跟不上；在快速存储上调大 innodb_io_capacity，或扩大缓冲池"
        }
        MEM_005 = "inspect.my.mem_005" { en: "no waits for the redo log buffer", zh: "无等待重做日志缓冲区的情况" }
        MEM_005_FIX = "inspect.my.mem_005_fix" {
            en: "transactions waited for the log buffer: raise innodb_log_buffer_size (MT)",
            zh: "有事务在等待日志缓冲区：请调大 innodb_log_buffer_size（MT）"
        }
        MEM_006 = "inspect.my.mem_006" { en: "thread cache serves new connections", zh: "线程缓存服务新连接" }
        MEM_006_FIX = "inspect.my.mem_006_fix" {
            en: "most connections create a new thread: raise thread_cache_size (MT: start at 4; not with the thread pool)",
            zh: "大多数连接都新建线程：请调大 thread_cache_size（MT：至少 4；使用线程池时不适用）"
        }
        MEM_007 = "inspect.my.mem_007" { en: "table open cache hit ratio", zh: "表打开缓存命中率" }
        MEM_007_FIX = "inspect.my.mem_007_fix" {
            en: "tables are reopened often: raise table_open_cache gradually, keeping open_files_limit above it (MT)",
            zh: "表被频繁重新打开：请逐步调大 table_open_cache，并保持 open_files_limit 大于它（MT）"
        }
        MEM_008 = "inspect.my.mem_008" { en: "temporary tables stay in memory", zh: "临时表在内存中完成" }
        MEM_008_FIX = "inspect.my.mem_008_fix" {
            en: "many temporary tables go to disk: raise tmp_table_size and max_heap_table_size together (up to 256 MB), beyond that reduce result sets and DISTINCT/GROUP BY on text columns (MT)",
            zh: "大量临时表落盘：请同时调大 tmp_table_size 与 max_heap_table_size（最多 256 MB），超过后应减少结果集及对文本列的 DISTINCT/GROUP BY（MT）"
        }
        MEM_009 = "inspect.my.mem_009" { en: "sorts stay in memory", zh: "排序在内存中完成" }
        MEM_009_FIX = "inspect.my.mem_009_fix" {
            en: "sorts need merge passes: add indexes that give the order, or raise sort_buffer_size for the sessions that sort (MT)",
            zh: "排序需要多趟归并：请增加能提供顺序的索引，或仅为需要排序的会话调大 sort_buffer_size（MT）"
        }
        MEM_010 = "inspect.my.mem_010" { en: "joins use indexes", zh: "连接查询使用索引" }
        MEM_010_FIX = "inspect.my.mem_010_fix" {
            en: "joins without indexes happen: find them in the digests (no_index_used) and add indexes; raising join_buffer_size without bound does not help (MT#687)",
            zh: "存在未使用索引的连接查询：请在语句摘要中找到它们（no_index_used）并增加索引；无上限地调大 join_buffer_size 无济于事（MT#687）"
        }
        MEM_010_SEEN = "inspect.my.mem_010_seen" {
            en: "{count} joins without indexes in {period} ({per_day} a day)",
            zh: "{period} 内有 {count} 次未用索引的连接（每天 {per_day} 次）"
        }
        MEM_011 = "inspect.my.mem_011" { en: "binary log cache stays in memory", zh: "二进制日志缓存在内存中完成" }
        MEM_011_FIX = "inspect.my.mem_011_fix" {
            en: "transactions spill the binary log cache to disk: raise binlog_cache_size (MT: +16 MB)",
            zh: "事务的二进制日志缓存溢出到磁盘：请调大 binlog_cache_size（MT：增加 16 MB）"
        }
        MEM_012 = "inspect.my.mem_012" { en: "MyISAM key cache hit ratio", zh: "MyISAM 键缓存命中率" }
        MEM_012_FIX = "inspect.my.mem_012_fix" {
            en: "MyISAM index reads miss the key cache: raise key_buffer_size, or better move the tables to InnoDB (MY-INN-003)",
            zh: "MyISAM 索引读取未命中键缓存：请调大 key_buffer_size，更好的做法是把表迁到 InnoDB（MY-INN-003）"
        }
        MEM_013 = "inspect.my.mem_013" { en: "query cache pays for itself", zh: "查询缓存物有所值" }
        MEM_013_FIX = "inspect.my.mem_013_fix" {
            en: "the query cache hits rarely: turn it off (query_cache_type = 0, query_cache_size = 0) (MT < 20%)",
            zh: "查询缓存命中很少：请关闭（query_cache_type = 0、query_cache_size = 0）（MT：< 20%）"
        }
        MEM_013_OFF = "inspect.my.mem_013_off" { en: "the query cache is off", zh: "查询缓存已关闭" }
        RATIO_SEEN = "inspect.my.ratio_seen" {
            en: "{pct}% ({part} of {whole}) in {period}",
            zh: "{period} 内为 {pct}%（{whole} 中的 {part}）"
        }
        COUNT_SEEN = "inspect.my.count_seen" {
            en: "{count} in {period}",
            zh: "{period} 内 {count} 次"
        }
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn catalogue_is_complete() {
            dbkeeper_core::i18n::check_catalogue(super::ALL).expect("catalogue");
        }
    }
}

const MIB: f64 = 1024.0 * 1024.0;

pub(super) fn defs() -> Vec<Def> {
    use crate::checks::common::msg as cm;
    use Group::{Availability as A, Configuration as C, Memory as M, Version as V};
    vec![
        check("MY-AV-001", A, msg::AV_001, msg::AV_001_FIX, common::alive)
            .src("MySQLTuner: connect + SELECT 1"),
        check("MY-AV-002", A, msg::AV_002, msg::AV_002_FIX, av_002)
            .src("MySQLTuner, pt-mysql-summary: read_only, replica status"),
        check("MY-AV-003", A, cm::STATS_AGE, cm::STATS_AGE_FIX, common::stats_age)
            .th(vec![crate::threshold::secs("warning", 86_400.0)])
            .counters()
            .src("MySQLTuner: wait ≥ 24 h of uptime before trusting ratios"),
        check("MY-AV-004", A, cm::RESTART, cm::RESTART_FIX, common::restart)
            .counters()
            .src("ours: Uptime went backwards since the previous snapshot"),
        check("MY-AV-005", A, msg::AV_005, msg::AV_005_FIX, av_005)
            .src("research §7: PROCESS, REPLICATION CLIENT, SELECT on mysql.*, performance_schema.*"),
        check("MY-AV-006", A, cm::HOST, cm::HOST_FIX, common::host)
            .needs(crate::msg::NEEDS_HOST)
            .src("ours: host facts when local"),
        check("MY-VER-001", V, cm::VER_EOL, cm::VER_EOL_FIX, common::version_eol)
            .th(vec![crate::threshold::secs("warning", 180.0 * 86_400.0)])
            .tags(&["djbh3:8.1.4.4e"])
            .src("MySQLTuner LTS list; pt-variable-advisor end-of-life; data/versions.json"),
        check("MY-VER-002", V, cm::VER_MINOR, cm::VER_MINOR_FIX, common::version_minor)
            .th(vec![count("critical", 3.0)])
            .tags(&["djbh3:8.1.4.4e"])
            .src("MySQLTuner --cvefile; data/versions.json"),
        // Not provoked by the tests: Debian ships release builds only.
        check("MY-VER-003", V, msg::VER_003, msg::VER_003_FIX, |c| {
            let v = c.base().facts.version_full.to_ascii_lowercase();
            Ok(Outcome::new(
                if v.contains("debug") { Status::Critical } else { Status::Ok },
                Text::verbatim(c.base().facts.version_full.clone()),
            ))
        })
        .src("pt-variable-advisor `debug`"),
        check("MY-VER-004", V, msg::VER_004, msg::VER_004_FIX, ver_004)
            .src("MySQLTuner: only LTS series are supported (8.0, 8.4, 10.6, 10.11, 11.4, 11.8)"),
        check("MY-CFG-001", C, msg::CFG_001, msg::CFG_001_FIX, |c| {
            setting(c, "innodb_flush_log_at_trx_commit", |s| s.value.trim() != "1", Status::Warning, "1")
        })
        .src("pt-variable-advisor: innodb_flush_log_at_trx_commit ≠ 1"),
        check("MY-CFG-002", C, msg::CFG_002, msg::CFG_002_FIX, |c| {
            with_binlog(c, |c| setting(c, "sync_binlog", |s| s.value.trim() != "1", Status::Warning, "1"))
        })
        .src("pt-variable-advisor: sync_binlog ≠ 1 with log_bin"),
        check("MY-CFG-003", C, msg::CFG_003, msg::CFG_003_FIX, |c| {
            crate::check::must_be_on(c, "log_bin", Status::Warning)
        })
        .src("pt-variable-advisor: log_bin OFF"),
        check("MY-CFG-004", C, msg::CFG_004, msg::CFG_004_FIX, cfg_004)
            .src("pt-variable-advisor: expire_logs_days = 0 with log_bin (binlog_expire_logs_seconds in 8.0 / 10.6)"),
        check("MY-CFG-005", C, msg::CFG_005, msg::CFG_005_FIX, |c| {
            crate::check::must_be_on(c, "innodb_doublewrite", Status::Warning)
        })
        .tags(&["djbh3:8.1.4.7b"])
        .src("pt-variable-advisor: innodb_doublewrite off"),
        // Not provoked by the tests: MariaDB 10.6+ has no checksum-less algorithm left to set
        // (innodb_checksum_algorithm = none was removed); its ok path is tested.
        check("MY-CFG-006", C, msg::CFG_006, msg::CFG_006_FIX, |c| {
            setting(
                c,
                "innodb_checksum_algorithm",
                |s| s.value.to_ascii_lowercase().contains("none"),
                Status::Warning,
                "full_crc32 / crc32",
            )
        })
        .tags(&["djbh3:8.1.4.7b"])
        .src("pt-variable-advisor: innodb_checksums off"),
        check("MY-CFG-007", C, msg::CFG_007, msg::CFG_007_FIX, |c| {
            setting(c, "innodb_force_recovery", |s| s.num().is_some_and(|v| v > 0.0), Status::Warning, "0")
        })
        .src("pt-variable-advisor: innodb_force_recovery > 0"),
        check("MY-CFG-008", C, msg::CFG_008, msg::CFG_008_FIX, cfg_008)
            .src("pt-variable-advisor: slave_skip_errors set → crit"),
        check("MY-CFG-009", C, msg::CFG_009, msg::CFG_009_FIX, |c| {
            with_binlog(c, |c| {
                setting(c, "binlog_format", |s| !s.value.eq_ignore_ascii_case("ROW"), Status::Warning, "ROW")
            })
        })
        .src("MySQLTuner: binlog_format ≠ ROW → bad"),
        check("MY-CFG-010", C, msg::CFG_010, msg::CFG_010_FIX, |c| {
            with_binlog(c, |c| {
                setting(c, "binlog_checksum", |s| s.value.eq_ignore_ascii_case("NONE"), Status::Warning, "CRC32")
            })
        })
        .tags(&["djbh3:8.1.4.7b"])
        .src("MySQLTuner: binlog_checksum NONE → bad"),
        check("MY-CFG-011", C, msg::CFG_011, msg::CFG_011_FIX, |c| {
            let name = if c.opt_setting("transaction_isolation").is_some() {
                "transaction_isolation"
            } else {
                "tx_isolation"
            };
            setting(
                c,
                name,
                |s| !matches!(s.value.to_ascii_uppercase().as_str(), "REPEATABLE-READ" | "READ-COMMITTED"),
                Status::Warning,
                "REPEATABLE-READ or READ-COMMITTED",
            )
        })
        .src("pt-variable-advisor `tx_isolation-1/-2`"),
        check("MY-CFG-012", C, msg::CFG_012, msg::CFG_012_FIX, |c| {
            crate::check::must_be_on(c, "skip_name_resolve", Status::Info)
        })
        .src("MySQLTuner: skip_name_resolve ≠ ON"),
        check("MY-CFG-013", C, msg::CFG_013, msg::CFG_013_FIX, |c| {
            crate::check::must_be_on(c, "innodb_file_per_table", Status::Warning)
        })
        .src("MySQLTuner, pt-variable-advisor: innodb_file_per_table OFF"),
        check("MY-CFG-014", C, msg::CFG_014, msg::CFG_014_FIX, |c| {
            crate::check::must_be_on(c, "performance_schema", Status::Info)
        })
        .src("MySQLTuner: performance_schema OFF → ON"),
        check("MY-CFG-015", C, msg::CFG_015, msg::CFG_015_FIX, |c| {
            setting(c, "max_connections", |s| s.num().is_some_and(|v| v > 1000.0), Status::Info, "≤ 1000")
        })
        .src("pt-variable-advisor: max_connections > 1000"),
        check("MY-CFG-016", C, msg::CFG_016, msg::CFG_016_FIX, |c| {
            setting(c, "innodb_lock_wait_timeout", |s| s.num().is_some_and(|v| v > 50.0), Status::Info, "≤ 50")
        })
        .src("pt-variable-advisor: innodb_lock_wait_timeout > 50"),
        check("MY-CFG-017", C, msg::CFG_017, msg::CFG_017_FIX, cfg_017)
            .th(vec![
                bytes("sort_buffer_size", 4.0 * MIB),
                bytes("read_buffer_size", 8.0 * MIB),
                bytes("read_rnd_buffer_size", 4.0 * MIB),
                bytes("join_buffer_size", 4.0 * MIB),
            ])
            .src("pt-variable-advisor: sort > 4 MB, read > 8 MB, read_rnd > 4 MB; MT join_buffer (MT#687)"),
        check("MY-CFG-018", C, msg::CFG_018, msg::CFG_018_FIX, |c| {
            let max = c.t("warning");
            setting(c, "innodb_log_buffer_size", |s| s.num().is_some_and(|v| v > max), Status::Info, "≤ 16MB")
        })
        .th(vec![bytes("warning", 16.0 * MIB)])
        .src("pt-variable-advisor: innodb_log_buffer_size > 16 MB (conflicts with MT, research §4.4)"),
        check("MY-CFG-019", C, msg::CFG_019, msg::CFG_019_FIX, |c| {
            let max = c.t("warning");
            let on = c.opt_setting("query_cache_type").is_some_and(|s| !matches!(s.value.to_ascii_uppercase().as_str(), "OFF" | "0"));
            setting(c, "query_cache_size", |s| on && s.num().is_some_and(|v| v > max), Status::Info, "0 (query_cache_type = OFF)")
        })
        .th(vec![bytes("warning", 128.0 * MIB)])
        .src("pt-variable-advisor: query_cache_size > 128 MB; MySQLTuner (removed in MySQL 8.0)"),
        check("MY-CFG-020", C, msg::CFG_020, msg::CFG_020_FIX, |c| {
            let tmp = num(c, "tmp_table_size")?;
            let heap = num(c, "max_heap_table_size")?;
            Ok(Outcome::new(
                if (tmp - heap).abs() > 0.5 { Status::Info } else { Status::Ok },
                Text::new(msg::CFG_020_SEEN)
                    .arg("tmp", human_bytes(tmp))
                    .arg("heap", human_bytes(heap)),
            ))
        })
        .src("MySQLTuner, pt-variable-advisor: make tmp_table_size = max_heap_table_size"),
        check("MY-CFG-021", C, msg::CFG_021, msg::CFG_021_FIX, |c| {
            setting(c, "innodb_flush_method", |s| !s.value.to_ascii_uppercase().starts_with("O_DIRECT"), Status::Info, "O_DIRECT")
        })
        .src("pt-variable-advisor: innodb_flush_method ≠ O_DIRECT"),
        check("MY-CFG-022", C, msg::CFG_022, msg::CFG_022_FIX, |c| {
            setting(c, "log_output", |s| s.value.to_ascii_uppercase().contains("TABLE"), Status::Warning, "FILE")
        })
        .src("pt-variable-advisor: log_output to TABLE"),
        check("MY-CFG-023", C, msg::CFG_023, msg::CFG_023_FIX, cfg_023)
            .th(vec![pct("warning", 85.0), pct("critical", 95.0)])
            .src("MySQLTuner: Open_files > 85% of open_files_limit"),
        check("MY-CFG-024", C, msg::CFG_024, msg::CFG_024_FIX, cfg_024)
            .probes(&["tables"])
            .src("MySQLTuner: table_definition_cache < number of tables"),
        check("MY-CFG-025", C, msg::CFG_025, msg::CFG_025_FIX, cfg_025)
            .th(vec![bytes("min_ram", 4.0 * 1024.0 * MIB)])
            .needs(crate::msg::NEEDS_HOST)
            .src("pt-variable-advisor: buffer pool at the compiled default (128 MB since 5.7)"),
        check("MY-CFG-026", C, msg::CFG_026, msg::CFG_026_FIX, |c| {
            setting(c, "max_connect_errors", |s| s.num().is_some_and(|v| v <= 100.0), Status::Info, "≥ 10000")
        })
        .src("pt-variable-advisor: max_connect_errors at the old default 10"),
        check("MY-CFG-027", C, msg::CFG_027, msg::CFG_027_FIX, |c| {
            setting(
                c,
                "sql_mode",
                |s| {
                    let m = s.value.to_ascii_uppercase();
                    !(m.contains("STRICT_TRANS_TABLES") || m.contains("STRICT_ALL_TABLES"))
                },
                Status::Warning,
                "STRICT_TRANS_TABLES",
            )
        })
        .src("ours: sql_mode without strict mode truncates data silently"),
        check("MY-CFG-028", C, msg::CFG_028, msg::CFG_028_FIX, |c| {
            setting(c, "character_set_server", |s| s.value != "utf8mb4", Status::Info, "utf8mb4")
        })
        .src("MySQLTuner charset checks; the platform stores Chinese text"),
        check("MY-MEM-001", M, msg::MEM_001, msg::MEM_001_FIX, mem_001)
            .th(vec![pct("warning", 85.0), pct("critical", 100.0)])
            .needs(crate::msg::NEEDS_HOST)
            .src("MySQLTuner `calculations`: max_peak_memory > 85% of RAM (MT#270: overstates)"),
        check("MY-MEM-002", M, msg::MEM_002, msg::MEM_002_FIX, mem_002)
            .probes(&["tables"])
            .src("MySQLTuner: innodb_buffer_pool_size ≤ InnoDB data+index"),
        // MySQLTuner's health score gives full points above 99% and half above 95%; below 90%
        // it is "bad".
        check("MY-MEM-003", M, msg::MEM_003, msg::MEM_003_FIX, |c| {
            ratio_low(c, "status.Innodb_buffer_pool_reads", "status.Innodb_buffer_pool_read_requests", true)
        })
        .th(vec![pct("warning", 95.0), pct("critical", 90.0), count("min_events", 10_000.0)])
        .counters()
        .src("MySQLTuner: 1 − Innodb_buffer_pool_reads / read_requests (< 90% bad; health score 95/99)"),
        // Not provoked by the tests: waits for a free page need sustained write pressure on a
        // small pool that a short test does not reliably produce; its ok path is tested.
        check("MY-MEM-004", M, msg::MEM_004, msg::MEM_004_FIX, |c| grow(c, "status.Innodb_buffer_pool_wait_free"))
            .th(vec![count("warning", 1.0), count("critical", 1000.0)])
            .counters()
            .src("ours: Δ Innodb_buffer_pool_wait_free > 0"),
        // Not provoked by the tests: log-buffer waits need concurrent large transactions
        // outrunning the redo writer, not reliably reproducible in a short test; ok path tested.
        check("MY-MEM-005", M, msg::MEM_005, msg::MEM_005_FIX, |c| {
            grow(c, "status.Innodb_log_waits").map(soften)
        })
        .th(vec![count("warning", 1.0)])
        .counters()
        .src("MySQLTuner: Innodb_log_waits > 0 → innodb_log_buffer_size (>)"),
        check("MY-MEM-006", M, msg::MEM_006, msg::MEM_006_FIX, mem_006)
            .th(vec![pct("warning", 50.0), count("min_events", 100.0)])
            .counters()
            .src("MySQLTuner: thread_cache_size 0 → 4; hit = 1 − Threads_created/Connections ≤ 50%"),
        check("MY-MEM-007", M, msg::MEM_007, msg::MEM_007_FIX, |c| {
            ratio_low(c, "status.Table_open_cache_misses", "status.Table_open_cache_hits", false)
                .map(soften)
        })
        .th(vec![pct("warning", 20.0), count("min_events", 1_000.0)])
        .counters()
        .src("MySQLTuner: table cache hit < 20% → table_open_cache (>)"),
        check("MY-MEM-008", M, msg::MEM_008, msg::MEM_008_FIX, |c| {
            ratio_high(c, "status.Created_tmp_disk_tables", &["status.Created_tmp_tables"]).map(soften)
        })
        .th(vec![pct("warning", 25.0), count("min_events", 100.0)])
        .counters()
        .src("MySQLTuner: Created_tmp_disk_tables / Created_tmp_tables > 25%"),
        check("MY-MEM-009", M, msg::MEM_009, msg::MEM_009_FIX, |c| {
            ratio_high(c, "status.Sort_merge_passes", &["status.Sort_scan", "status.Sort_range"]).map(soften)
        })
        .th(vec![pct("warning", 10.0), count("min_events", 100.0)])
        .counters()
        .src("MySQLTuner: Sort_merge_passes / (Sort_scan + Sort_range) > 10%"),
        check("MY-MEM-010", M, msg::MEM_010, msg::MEM_010_FIX, mem_010)
            .th(vec![count("warning", 250.0)])
            .counters()
            .src("MySQLTuner: (Select_full_join + Select_range_check) per day > 250"),
        check("MY-MEM-011", M, msg::MEM_011, msg::MEM_011_FIX, |c| {
            ratio_high(c, "status.Binlog_cache_disk_use", &["status.Binlog_cache_use"]).map(soften)
        })
        .th(vec![pct("warning", 10.0), count("min_events", 100.0)])
        .counters()
        .src("MySQLTuner: binlog cache memory use < 90% → binlog_cache_size + 16 MB"),
        check("MY-MEM-012", M, msg::MEM_012, msg::MEM_012_FIX, |c| {
            ratio_low(c, "status.Key_reads", "status.Key_read_requests", true).map(soften)
        })
        .th(vec![pct("warning", 95.0), count("min_events", 1_000.0)])
        .counters()
        .src("MySQLTuner: key read hit < 95% → key_buffer_size (>)"),
        check("MY-MEM-013", M, msg::MEM_013, msg::MEM_013_FIX, mem_013)
            .th(vec![pct("warning", 20.0), count("min_events", 1_000.0)])
            .counters()
            .src("MySQLTuner: query cache efficiency < 20% (MariaDB Com_select counts hits, MDEV-4981)"),
    ]
}

fn num(c: &Ctx<'_>, name: &str) -> Result<f64, Skip> {
    c.setting(name)?
        .num()
        .ok_or_else(|| Skip(Text::verbatim(name.to_string())))
}

/// Checks that only mean something with the binary log on; otherwise ok, saying why.
pub(super) fn with_binlog(c: &Ctx<'_>, f: impl Fn(&Ctx<'_>) -> Eval) -> Eval {
    if c.opt_setting("log_bin").is_some_and(SettingVal::is_on) {
        f(c)
    } else {
        Ok(Outcome::new(Status::Ok, Text::new(super::msg::BINLOG_OFF)))
    }
}

/// Memory and cache advice is a suggestion: findings are at most info.
fn soften(mut o: Outcome) -> Outcome {
    if o.status > Status::Info {
        o.status = Status::Info;
    }
    o
}

fn av_002(c: &Ctx<'_>) -> Eval {
    let b = c.base();
    let ro = c
        .opt_setting("read_only")
        .map_or_else(|| "?".into(), |s| s.value.clone());
    let role = match b.facts.role {
        dbkeeper_core::engine::Role::Primary => "primary",
        dbkeeper_core::engine::Role::Replica => "replica",
    };
    Ok(Outcome::new(
        Status::Ok,
        Text::new(msg::AV_002_SEEN)
            .arg("role", role)
            .arg("read_only", &ro),
    )
    .value("role", role)
    .value("read_only", ro))
}

fn av_005(c: &Ctx<'_>) -> Eval {
    let b = c.base();
    let p = &b.privileges;
    if p.superuser || p.missing.is_empty() {
        return Ok(Outcome::new(
            Status::Ok,
            Text::new(msg::AV_005_SUPER).arg("user", &b.target.user),
        ));
    }
    Ok(Outcome::new(
        Status::Warning,
        Text::new(msg::AV_005_PARTIAL)
            .arg("user", &b.target.user)
            .arg("missing", p.missing.join(", ")),
    )
    .value("missing", p.missing.clone()))
}

fn ver_004(c: &Ctx<'_>) -> Eval {
    let b = c.base();
    let s = c
        .run
        .versions
        .standing(b.product.data_key(), &b.facts.version)
        .ok_or_else(|| {
            Skip(
                Text::new(crate::checks::common::msg::VER_UNKNOWN_BRANCH)
                    .arg("data", c.run.versions.describe())
                    .arg("product", &b.facts.product)
                    .arg("version", &b.facts.version),
            )
        })?;
    Ok(Outcome::new(
        if s.branch.lts {
            Status::Ok
        } else {
            Status::Info
        },
        Text::new(msg::VER_004_SEEN)
            .arg("product", &b.facts.product)
            .arg("branch", &s.branch.branch)
            .arg("lts", s.branch.lts),
    ))
}

fn cfg_004(c: &Ctx<'_>) -> Eval {
    with_binlog(c, |c| {
        let secs = c
            .opt_setting("binlog_expire_logs_seconds")
            .and_then(|s| s.num())
            .unwrap_or(0.0);
        let days = c
            .opt_setting("expire_logs_days")
            .and_then(|s| s.num())
            .unwrap_or(0.0);
        let keep = secs.max(days * 86_400.0);
        Ok(Outcome::new(
            if keep <= 0.0 {
                Status::Warning
            } else {
                Status::Ok
            },
            Text::new(crate::msg::SETTING_IS)
                .arg("name", "binlog_expire_logs_seconds")
                .arg(
                    "value",
                    if keep <= 0.0 {
                        "0".to_string()
                    } else {
                        human_secs(keep)
                    },
                ),
        )
        .value("binlog_retention_seconds", keep))
    })
}

fn cfg_008(c: &Ctx<'_>) -> Eval {
    let name = if c.opt_setting("replica_skip_errors").is_some() {
        "replica_skip_errors"
    } else {
        "slave_skip_errors"
    };
    setting(
        c,
        name,
        |s| !matches!(s.value.to_ascii_uppercase().as_str(), "" | "OFF"),
        Status::Critical,
        "OFF",
    )
}

fn cfg_017(c: &Ctx<'_>) -> Eval {
    let mut over = Vec::new();
    for name in [
        "sort_buffer_size",
        "read_buffer_size",
        "read_rnd_buffer_size",
        "join_buffer_size",
    ] {
        if let Some(v) = c.opt_setting(name).and_then(|s| s.num()) {
            if v > c.t(name) {
                over.push(format!("{name} = {}", human_bytes(v)));
            }
        }
    }
    if over.is_empty() {
        return Ok(Outcome::new(Status::Ok, Text::new(crate::msg::NONE_FOUND)));
    }
    Ok(Outcome::new(
        Status::Warning,
        Text::new(msg::CFG_017_SEEN).arg("list", over.join(", ")),
    )
    .value("over", over))
}

fn cfg_023(c: &Ctx<'_>) -> Eval {
    let open = c.status("Open_files")?;
    let limit = num(c, "open_files_limit")?.max(1.0);
    let p = 100.0 * open / limit;
    Ok(Outcome::new(
        c.above(p),
        Text::new(msg::CFG_023_SEEN)
            .arg("open", open)
            .arg("limit", limit)
            .arg("pct", format!("{p:.0}")),
    ))
}

fn cfg_024(c: &Ctx<'_>) -> Eval {
    let tables = c.rows("tables")?.len() as f64;
    let cache = num(c, "table_definition_cache")?;
    // -1 means autosized (MySQL 5.6+).
    let short = cache >= 0.0 && cache < tables;
    Ok(Outcome::new(
        if short { Status::Info } else { Status::Ok },
        Text::new(msg::CFG_024_SEEN)
            .arg("cache", cache)
            .arg("tables", tables),
    ))
}

fn cfg_025(c: &Ctx<'_>) -> Eval {
    let bp = num(c, "innodb_buffer_pool_size")?;
    let ram = c.ram()?;
    let default = (bp - 128.0 * MIB).abs() < 1.0;
    Ok(Outcome::new(
        if default && ram >= c.t("min_ram") {
            Status::Info
        } else {
            Status::Ok
        },
        Text::new(msg::CFG_025_SEEN)
            .arg("bp", human_bytes(bp))
            .arg("ram", human_bytes(ram)),
    ))
}

fn mem_001(c: &Ctx<'_>) -> Eval {
    let ram = c.ram()?;
    let get = |n: &str| c.opt_setting(n).and_then(|s| s.num()).unwrap_or(0.0);
    // MySQLTuner `calculations` (research §4.2).
    let per_thread = get("read_buffer_size")
        + get("read_rnd_buffer_size")
        + get("sort_buffer_size")
        + get("thread_stack")
        + get("join_buffer_size")
        + get("binlog_cache_size")
        + get("tmp_table_size").min(get("max_heap_table_size"));
    let server = get("key_buffer_size")
        + get("innodb_buffer_pool_size")
        + get("innodb_additional_mem_pool_size")
        + get("innodb_log_buffer_size")
        + get("query_cache_size")
        + get("aria_pagecache_buffer_size");
    let conns = get("max_connections");
    let total = server + per_thread * conns;
    let p = 100.0 * total / ram;
    Ok(Outcome::new(
        c.above(p),
        Text::new(msg::MEM_001_SEEN)
            .arg("total", human_bytes(total))
            .arg("pct", format!("{p:.0}"))
            .arg("ram", human_bytes(ram))
            .arg("server", human_bytes(server))
            .arg("conns", conns)
            .arg("per_thread", human_bytes(per_thread)),
    )
    .value("worst_case_bytes", total.round())
    .value("memory_bytes", ram))
}

fn mem_002(c: &Ctx<'_>) -> Eval {
    let bp = num(c, "innodb_buffer_pool_size")?;
    let data: f64 = c
        .rows("tables")?
        .iter()
        .filter(|r| value::text_of(r.get("engine")).eq_ignore_ascii_case("InnoDB"))
        .map(|r| {
            value::f64_of(r.get("data_bytes")).unwrap_or(0.0)
                + value::f64_of(r.get("index_bytes")).unwrap_or(0.0)
        })
        .sum();
    Ok(Outcome::new(
        if data > bp { Status::Info } else { Status::Ok },
        Text::new(msg::MEM_002_SEEN)
            .arg("bp", human_bytes(bp))
            .arg("data", human_bytes(data)),
    )
    .value("buffer_pool_bytes", bp)
    .value("innodb_bytes", data))
}

/// "part of whole" as a percentage, higher is worse (`whole` may be a sum of counters).
pub(super) fn ratio_high(c: &Ctx<'_>, part_key: &str, whole_keys: &[&str]) -> Eval {
    let (part, basis) = match c.rate(part_key)? {
        Ok(v) => v,
        Err(too_short) => return Ok(too_short),
    };
    let mut whole = 0.0;
    for k in whole_keys {
        whole += c.change(k)?.0;
    }
    if whole < c.t("min_events") {
        return Ok(Outcome::new(
            Status::Ok,
            Text::new(crate::msg::RATIO_TOO_LITTLE)
                .arg("count", whole)
                .arg("period", human_secs(basis.seconds))
                .arg("min", c.t("min_events")),
        )
        .basis(basis));
    }
    let p = 100.0 * part / whole;
    Ok(Outcome::new(
        c.above(p),
        Text::new(msg::RATIO_SEEN)
            .arg("pct", format!("{p:.1}"))
            .arg("part", part)
            .arg("whole", whole)
            .arg("period", human_secs(basis.seconds)),
    )
    .value("percent", (p * 10.0).round() / 10.0)
    .basis(basis))
}

/// A hit ratio, lower is worse: `miss_key` misses against `total_key` (requests when
/// `total_is_requests`, else hits).
pub(super) fn ratio_low(
    c: &Ctx<'_>,
    miss_key: &str,
    total_key: &str,
    total_is_requests: bool,
) -> Eval {
    let (miss, basis) = match c.rate(miss_key)? {
        Ok(v) => v,
        Err(too_short) => return Ok(too_short),
    };
    let (other, _) = c.change(total_key)?;
    let total = if total_is_requests {
        other
    } else {
        other + miss
    };
    if total < c.t("min_events") {
        return Ok(Outcome::new(
            Status::Ok,
            Text::new(crate::msg::RATIO_TOO_LITTLE)
                .arg("count", total)
                .arg("period", human_secs(basis.seconds))
                .arg("min", c.t("min_events")),
        )
        .basis(basis));
    }
    let hit = 100.0 * (1.0 - miss / total).max(0.0);
    Ok(Outcome::new(
        c.below(hit),
        Text::new(msg::RATIO_SEEN)
            .arg("pct", format!("{hit:.2}"))
            .arg("part", (total - miss).max(0.0))
            .arg("whole", total)
            .arg("period", human_secs(basis.seconds)),
    )
    .value("hit_percent", (hit * 100.0).round() / 100.0)
    .basis(basis))
}

/// A counter that should not grow: graded by its change with `warning`/`critical`.
pub(super) fn grow(c: &Ctx<'_>, key: &str) -> Eval {
    let (n, basis) = c.change(key)?;
    Ok(Outcome::new(
        c.above(n),
        Text::new(msg::COUNT_SEEN)
            .arg("count", n)
            .arg("period", human_secs(basis.seconds)),
    )
    .value("count", n)
    .basis(basis))
}

fn mem_006(c: &Ctx<'_>) -> Eval {
    if num(c, "thread_cache_size")? == 0.0 {
        return setting(c, "thread_cache_size", |_| true, Status::Info, "4 or more");
    }
    let (created, basis) = match c.rate("status.Threads_created")? {
        Ok(v) => v,
        Err(too_short) => return Ok(too_short),
    };
    let (conns, _) = c.change("status.Connections")?;
    if conns < c.t("min_events") {
        return Ok(Outcome::new(
            Status::Ok,
            Text::new(crate::msg::RATIO_TOO_LITTLE)
                .arg("count", conns)
                .arg("period", human_secs(basis.seconds))
                .arg("min", c.t("min_events")),
        )
        .basis(basis));
    }
    let hit = 100.0 * (1.0 - created / conns).max(0.0);
    Ok(Outcome::new(
        if hit <= c.t("warning") {
            Status::Info
        } else {
            Status::Ok
        },
        Text::new(msg::RATIO_SEEN)
            .arg("pct", format!("{hit:.1}"))
            .arg("part", (conns - created).max(0.0))
            .arg("whole", conns)
            .arg("period", human_secs(basis.seconds)),
    )
    .basis(basis))
}

fn mem_010(c: &Ctx<'_>) -> Eval {
    let (full, basis) = match c.rate("status.Select_full_join")? {
        Ok(v) => v,
        Err(too_short) => return Ok(too_short),
    };
    let (check, _) = c.change("status.Select_range_check")?;
    let n = full + check;
    // Per day, not extrapolated from a shorter period (a burst is not a day's habit).
    let per_day = n / (basis.seconds / 86_400.0).max(1.0);
    Ok(Outcome::new(
        if per_day > c.t("warning") {
            Status::Info
        } else {
            Status::Ok
        },
        Text::new(msg::MEM_010_SEEN)
            .arg("count", n)
            .arg("period", human_secs(basis.seconds))
            .arg("per_day", format!("{per_day:.0}")),
    )
    .basis(basis))
}

fn mem_013(c: &Ctx<'_>) -> Eval {
    let on = c
        .opt_setting("query_cache_type")
        .is_some_and(|s| !matches!(s.value.to_ascii_uppercase().as_str(), "OFF" | "0"))
        && c.opt_setting("query_cache_size")
            .and_then(|s| s.num())
            .unwrap_or(0.0)
            > 0.0;
    if !on {
        return Ok(Outcome::new(Status::Ok, Text::new(msg::MEM_013_OFF)));
    }
    let (hits, basis) = match c.rate("status.Qcache_hits")? {
        Ok(v) => v,
        Err(too_short) => return Ok(too_short),
    };
    let (selects, _) = c.change("status.Com_select")?;
    // MariaDB counts cache hits in Com_select too (MDEV-4981); MySQL does not.
    let total = if c.base().product == crate::check::Product::MariaDb {
        selects
    } else {
        selects + hits
    };
    if total < c.t("min_events") {
        return Ok(Outcome::new(
            Status::Ok,
            Text::new(crate::msg::RATIO_TOO_LITTLE)
                .arg("count", total)
                .arg("period", human_secs(basis.seconds))
                .arg("min", c.t("min_events")),
        )
        .basis(basis));
    }
    let p = 100.0 * hits / total.max(1.0);
    Ok(Outcome::new(
        if p < c.t("warning") {
            Status::Info
        } else {
            Status::Ok
        },
        Text::new(msg::RATIO_SEEN)
            .arg("pct", format!("{p:.1}"))
            .arg("part", hits)
            .arg("whole", total)
            .arg("period", human_secs(basis.seconds)),
    )
    .basis(basis))
}
