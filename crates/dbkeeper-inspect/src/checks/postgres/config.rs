//! Configuration sanity and memory: durability settings, sizing against the host, planner and
//! logging settings, and the cache and write ratios from the counter snapshots.

use dbkeeper_core::Text;

use crate::check::{self, must_be_off, must_be_on, setting, Ctx, Def, Eval, Outcome, Skip};
use crate::checks::check;
use crate::model::{Group, Status};
use crate::threshold::{bytes, count, human_bytes, pct};
use crate::value;

pub(crate) mod msg {
    dbkeeper_core::catalogue! {
        CFG_001 = "inspect.pg.cfg_001" { en: "fsync is on", zh: "fsync 已开启" }
        CFG_001_FIX = "inspect.pg.cfg_001_fix" {
            en: "set fsync = on: with it off a power loss or OS crash can corrupt the whole cluster beyond repair",
            zh: "请设置 fsync = on：关闭时一次断电或操作系统崩溃即可能造成整个集簇无法修复的损坏"
        }
        CFG_002 = "inspect.pg.cfg_002" { en: "full_page_writes is on", zh: "full_page_writes 已开启" }
        CFG_002_FIX = "inspect.pg.cfg_002_fix" {
            en: "set full_page_writes = on unless the filesystem guarantees atomic 8 kB writes (ZFS): torn pages after a crash cannot be repaired",
            zh: "请设置 full_page_writes = on（除非文件系统保证 8 kB 原子写，如 ZFS）：崩溃后的页撕裂无法修复"
        }
        CFG_003 = "inspect.pg.cfg_003" { en: "wal_level allows archiving and replication", zh: "wal_level 支持归档和复制" }
        CFG_003_FIX = "inspect.pg.cfg_003_fix" {
            en: "set wal_level = replica (needs a restart): minimal rules out point-in-time recovery and standbys",
            zh: "请设置 wal_level = replica（需重启）：minimal 无法进行时间点恢复，也无法搭建备库"
        }
        CFG_004 = "inspect.pg.cfg_004" { en: "autovacuum is on", zh: "autovacuum 已开启" }
        CFG_004_FIX = "inspect.pg.cfg_004_fix" {
            en: "set autovacuum = on: without it tables bloat and the cluster eventually stops to avoid transaction-id wraparound",
            zh: "请设置 autovacuum = on：关闭后表会膨胀，最终为防止事务号回卷而停止服务"
        }
        CFG_005 = "inspect.pg.cfg_005" { en: "data checksums are enabled", zh: "已启用数据页校验和" }
        CFG_005_FIX = "inspect.pg.cfg_005_fix" {
            en: "enable checksums so that corruption on disk is detected (pg_checksums --enable on the stopped cluster, or initdb -k for new ones); 等保 8.1.4.7b asks for integrity checks of stored data",
            zh: "请启用校验和以发现磁盘上的数据损坏（停库后执行 pg_checksums --enable，新集簇用 initdb -k）；等保 8.1.4.7b 要求对存储数据进行完整性校验"
        }
        CFG_006 = "inspect.pg.cfg_006" { en: "shared_buffers fits the host's memory", zh: "shared_buffers 与主机内存匹配" }
        CFG_006_FIX = "inspect.pg.cfg_006_fix" {
            en: "size shared_buffers at about 25% of RAM (pg_gather, PGTune); above 40% leaves too little for the OS cache and work_mem (postgresqltuner); `dbkeeper advise` proposes a value",
            zh: "建议 shared_buffers 约为内存的 25%（pg_gather、PGTune）；超过 40% 会挤占操作系统缓存和 work_mem（postgresqltuner）；可用 `dbkeeper advise` 生成建议值"
        }
        CFG_006_SEEN = "inspect.pg.cfg_006_seen" {
            en: "shared_buffers {sb} is {pct}% of {ram} RAM",
            zh: "shared_buffers 为 {sb}，占内存 {ram} 的 {pct}%"
        }
        CFG_007 = "inspect.pg.cfg_007" { en: "effective_cache_size is at least shared_buffers", zh: "effective_cache_size 不小于 shared_buffers" }
        CFG_007_FIX = "inspect.pg.cfg_007_fix" {
            en: "set effective_cache_size to about 75% of RAM; below shared_buffers it makes the planner avoid index scans",
            zh: "请将 effective_cache_size 设为内存的 75% 左右；小于 shared_buffers 会使优化器回避索引扫描"
        }
        CFG_007_SEEN = "inspect.pg.cfg_007_seen" {
            en: "effective_cache_size {ecs}, shared_buffers {sb}",
            zh: "effective_cache_size 为 {ecs}，shared_buffers 为 {sb}"
        }
        CFG_008 = "inspect.pg.cfg_008" { en: "worst-case memory fits in RAM", zh: "最坏情况下的内存占用不超过物理内存" }
        CFG_008_FIX = "inspect.pg.cfg_008_fix" {
            en: "lower work_mem or max_connections (use a connection pooler), or add memory: if every connection sorts at once the OOM killer ends the server",
            zh: "请降低 work_mem 或 max_connections（使用连接池），或增加内存：所有连接同时排序时，OOM 会终止数据库进程"
        }
        CFG_008_SEEN = "inspect.pg.cfg_008_seen" {
            en: "up to {total} ({pct}% of {ram}): shared_buffers {sb} + {conns} connections × work_mem {wm} × 150% + {workers} autovacuum workers × {mwm}",
            zh: "最多 {total}（占内存 {ram} 的 {pct}%）：shared_buffers {sb} + {conns} 个连接 × work_mem {wm} × 150% + {workers} 个 autovacuum 进程 × {mwm}"
        }
        CFG_009 = "inspect.pg.cfg_009" { en: "maintenance_work_mem is sized", zh: "maintenance_work_mem 已按需设置" }
        CFG_009_FIX = "inspect.pg.cfg_009_fix" {
            en: "raise maintenance_work_mem (RAM/16, up to 2 GB, PGTune) so that VACUUM and CREATE INDEX finish sooner",
            zh: "请调大 maintenance_work_mem（内存的 1/16，最多 2 GB，PGTune），以加快 VACUUM 和 CREATE INDEX"
        }
        CFG_010 = "inspect.pg.cfg_010" { en: "max_connections in proportion to the CPUs", zh: "max_connections 与 CPU 数量相称" }
        CFG_010_FIX = "inspect.pg.cfg_010_fix" {
            en: "put a connection pooler (PgBouncer) in front and lower max_connections toward 10 per CPU (pg_gather)",
            zh: "请在前端部署连接池（PgBouncer），并将 max_connections 降至每个 CPU 约 10 个（pg_gather）"
        }
        CFG_010_SEEN = "inspect.pg.cfg_010_seen" {
            en: "max_connections {conns} for {cpus} CPUs (limit {limit})",
            zh: "max_connections 为 {conns}，CPU {cpus} 个（上限 {limit}）"
        }
        CFG_011 = "inspect.pg.cfg_011" { en: "connections are reserved for superusers", zh: "为超级用户保留了连接" }
        CFG_011_FIX = "inspect.pg.cfg_011_fix" {
            en: "set superuser_reserved_connections to 3 or more so that a DBA can still log in during a connection storm",
            zh: "请将 superuser_reserved_connections 设为 3 或以上，以便连接耗尽时 DBA 仍能登录"
        }
        CFG_012 = "inspect.pg.cfg_012" { en: "huge pages for a large shared_buffers", zh: "较大的 shared_buffers 使用大页内存" }
        CFG_012_FIX = "inspect.pg.cfg_012_fix" {
            en: "with shared_buffers of 2 GB or more set huge_pages = try and reserve vm.nr_hugepages (PGTune, pg_gather)",
            zh: "shared_buffers 达到 2 GB 及以上时，请设置 huge_pages = try 并预留 vm.nr_hugepages（PGTune、pg_gather）"
        }
        CFG_013 = "inspect.pg.cfg_013" { en: "checkpoints are spread out", zh: "检查点写入已平滑分散" }
        CFG_013_FIX = "inspect.pg.cfg_013_fix" {
            en: "set checkpoint_completion_target = 0.9 to spread checkpoint writes and avoid I/O spikes",
            zh: "请设置 checkpoint_completion_target = 0.9，分散检查点写入以避免 I/O 尖峰"
        }
        CFG_014 = "inspect.pg.cfg_014" { en: "checkpoint_timeout is long enough", zh: "checkpoint_timeout 足够长" }
        CFG_014_FIX = "inspect.pg.cfg_014_fix" {
            en: "consider checkpoint_timeout = 15–30 min (pg_gather suggests 30 min): fewer checkpoints, fewer full-page images in WAL; crash recovery takes longer",
            zh: "可考虑将 checkpoint_timeout 设为 15–30 分钟（pg_gather 建议 30 分钟）：检查点更少、WAL 中整页镜像更少；代价是崩溃恢复时间更长"
        }
        CFG_015 = "inspect.pg.cfg_015" { en: "max_wal_size covers an hour of WAL", zh: "max_wal_size 可容纳一小时的 WAL" }
        CFG_015_FIX = "inspect.pg.cfg_015_fix" {
            en: "raise max_wal_size to at least the WAL written per hour (pg_gather: ceil(WAL per hour / 10 GB) × 10 GB) so that checkpoints are driven by time, not by WAL volume",
            zh: "请将 max_wal_size 调大到不小于每小时产生的 WAL 量（pg_gather：向上取整(每小时 WAL/10 GB)×10 GB），使检查点按时间而非 WAL 量触发"
        }
        CFG_015_SEEN = "inspect.pg.cfg_015_seen" {
            en: "{rate} of WAL per hour, max_wal_size {max}",
            zh: "每小时产生 WAL {rate}，max_wal_size 为 {max}"
        }
        CFG_016 = "inspect.pg.cfg_016" { en: "planner page costs are consistent", zh: "优化器页代价参数合理" }
        CFG_016_FIX = "inspect.pg.cfg_016_fix" {
            en: "random_page_cost below seq_page_cost makes no sense; use 1.1 on SSD and 4 on spinning disks with seq_page_cost = 1",
            zh: "random_page_cost 小于 seq_page_cost 没有意义；SSD 上请用 1.1，机械盘用 4，seq_page_cost 保持 1"
        }
        CFG_016_SEEN = "inspect.pg.cfg_016_seen" {
            en: "random_page_cost {random}, seq_page_cost {seq}",
            zh: "random_page_cost 为 {random}，seq_page_cost 为 {seq}"
        }
        CFG_017 = "inspect.pg.cfg_017" { en: "JIT is off for OLTP", zh: "OLTP 场景已关闭 JIT" }
        CFG_017_FIX = "inspect.pg.cfg_017_fix" {
            en: "set jit = off for an OLTP workload: JIT compilation adds CPU spikes to short queries (pg_gather, PGTune)",
            zh: "OLTP 负载请设置 jit = off：JIT 编译会给短查询带来 CPU 尖峰（pg_gather、PGTune）"
        }
        CFG_018 = "inspect.pg.cfg_018" { en: "I/O timing is tracked", zh: "已开启 I/O 计时" }
        CFG_018_FIX = "inspect.pg.cfg_018_fix" {
            en: "set track_io_timing = on (check its cost with pg_test_timing) so that slow storage shows in statistics",
            zh: "请设置 track_io_timing = on（可用 pg_test_timing 评估开销），以便在统计中发现慢存储"
        }
        CFG_019 = "inspect.pg.cfg_019" { en: "WAL compression is on", zh: "已开启 WAL 压缩" }
        CFG_019_FIX = "inspect.pg.cfg_019_fix" {
            en: "set wal_compression = lz4 (PostgreSQL 15+) or on: less WAL to write, archive and replicate for a little CPU",
            zh: "请设置 wal_compression = lz4（PostgreSQL 15+）或 on：以少量 CPU 换取更少的 WAL 写入、归档和复制量"
        }
        CFG_020 = "inspect.pg.cfg_020" { en: "autovacuum_freeze_max_age is not raised too far", zh: "autovacuum_freeze_max_age 未调得过高" }
        CFG_020_FIX = "inspect.pg.cfg_020_fix" {
            en: "keep autovacuum_freeze_max_age at or below 800 million (pg_gather): higher leaves too little room before wraparound protection",
            zh: "请将 autovacuum_freeze_max_age 保持在 8 亿以内（pg_gather）：更高会使距离回卷保护的余量过小"
        }
        CFG_021 = "inspect.pg.cfg_021" { en: "idle-in-transaction sessions are ended", zh: "事务空闲会话会被自动终止" }
        CFG_021_FIX = "inspect.pg.cfg_021_fix" {
            en: "set idle_in_transaction_session_timeout (pg_gather suggests 5 min) so that a forgotten transaction cannot hold locks and block vacuum for hours",
            zh: "请设置 idle_in_transaction_session_timeout（pg_gather 建议 5 分钟），避免遗忘的事务长时间持有锁并阻塞清理"
        }
        CFG_022 = "inspect.pg.cfg_022" { en: "slow statements are logged", zh: "已记录慢 SQL" }
        CFG_022_FIX = "inspect.pg.cfg_022_fix" {
            en: "set log_min_duration_statement (for example 1s; postgresqltuner warns below 1 s for the I/O, pgbadger wants it low) so that slow statements can be analysed",
            zh: "请设置 log_min_duration_statement（例如 1s；postgresqltuner 认为低于 1 秒 I/O 开销大，pgbadger 则希望更低），以便分析慢 SQL"
        }
        CFG_023 = "inspect.pg.cfg_023" { en: "statement logging is not excessive", zh: "语句日志未过度记录" }
        CFG_023_FIX = "inspect.pg.cfg_023_fix" {
            en: "log_statement = all logs every query and costs I/O; for audit use pgaudit with class filters (ddl, role, write) or log_statement = ddl/mod",
            zh: "log_statement = all 会记录每条查询，I/O 开销大；审计请用 pgaudit 按类别过滤（ddl、role、write），或设为 ddl/mod"
        }
        CFG_024 = "inspect.pg.cfg_024" { en: "no planner method is disabled", zh: "未禁用优化器的执行方法" }
        CFG_024_FIX = "inspect.pg.cfg_024_fix" {
            en: "set the enable_* settings back to on in postgresql.conf; disable a method only per session while testing a plan",
            zh: "请在 postgresql.conf 中将 enable_* 参数恢复为 on；仅在测试执行计划时按会话临时关闭"
        }
        CFG_025 = "inspect.pg.cfg_025" { en: "tablespaces are outside the data directory", zh: "表空间不在数据目录内" }
        CFG_025_FIX = "inspect.pg.cfg_025_fix" {
            en: "move tablespaces out of the data directory (ALTER TABLE … SET TABLESPACE to a new one): inside it, base backups and pg_upgrade copy them twice or break",
            zh: "请将表空间移出数据目录（ALTER TABLE … SET TABLESPACE 到新表空间）：放在数据目录内会导致物理备份和 pg_upgrade 重复拷贝或出错"
        }
        CFG_026 = "inspect.pg.cfg_026" { en: "configuration applied without errors", zh: "配置已生效且无错误" }
        CFG_026_FIX = "inspect.pg.cfg_026_fix" {
            en: "restart the server in a maintenance window to apply pending settings, and fix the errors in the configuration files (pg_file_settings)",
            zh: "请在维护窗口重启服务器使待生效参数生效，并修正配置文件中的错误（pg_file_settings）"
        }
        CFG_026_SEEN = "inspect.pg.cfg_026_seen" {
            en: "{pending} settings wait for a restart ({names}); {errors} errors in configuration files",
            zh: "{pending} 个参数等待重启生效（{names}）；配置文件中有 {errors} 处错误"
        }
        CFG_027 = "inspect.pg.cfg_027" { en: "temporary files are logged", zh: "已记录临时文件" }
        CFG_027_FIX = "inspect.pg.cfg_027_fix" {
            en: "set log_temp_files (for example 10MB) so that sorts and hashes spilling to disk can be found",
            zh: "请设置 log_temp_files（例如 10MB），以便发现溢出到磁盘的排序和哈希操作"
        }
        CFG_028 = "inspect.pg.cfg_028" { en: "checkpoints are logged", zh: "已记录检查点日志" }
        CFG_028_FIX = "inspect.pg.cfg_028_fix" {
            en: "set log_checkpoints = on (the default since PostgreSQL 15) to see checkpoint timing in the log",
            zh: "请设置 log_checkpoints = on（PostgreSQL 15 起默认开启），以便在日志中查看检查点耗时"
        }
        MEM_001 = "inspect.pg.mem_001" { en: "buffer cache hit ratio", zh: "缓冲区缓存命中率" }
        MEM_001_FIX = "inspect.pg.mem_001_fix" {
            en: "reads miss the cache: look for statements reading much (pg_stat_statements), missing indexes, or raise shared_buffers / add RAM (expansion advice for the customer)",
            zh: "读请求未命中缓存：请排查读量大的 SQL（pg_stat_statements）和缺失的索引，或调大 shared_buffers / 增加内存（需客户同意的扩容建议）"
        }
        MEM_002 = "inspect.pg.mem_002" { en: "backends rarely write buffers themselves", zh: "后端进程很少自行写出缓冲区" }
        MEM_002_FIX = "inspect.pg.mem_002_fix" {
            en: "backends evict dirty pages themselves: raise bgwriter_lru_maxpages and shared_buffers, or add memory (pg_gather: memory pressure)",
            zh: "后端进程在自行写出脏页：请调大 bgwriter_lru_maxpages 与 shared_buffers，或增加内存（pg_gather：内存压力）"
        }
        MEM_002_SEEN = "inspect.pg.mem_002_seen" {
            en: "{pct}% of {total} buffers written by backends (checkpointer {checkpoint}, bgwriter {clean})",
            zh: "{total} 个写出的缓冲区中 {pct}% 由后端进程写出（检查点 {checkpoint}，后台写 {clean}）"
        }
        MEM_003 = "inspect.pg.mem_003" { en: "temporary files written per day", zh: "每天写入的临时文件量" }
        MEM_003_FIX = "inspect.pg.mem_003_fix" {
            en: "sorts and hashes spill to disk: find them (log_temp_files, pg_stat_statements.temp_blks_written) and add indexes or raise work_mem for those statements",
            zh: "排序和哈希溢出到磁盘：请定位相关 SQL（log_temp_files、pg_stat_statements.temp_blks_written），为其增加索引或调大 work_mem"
        }
        MEM_003_SEEN = "inspect.pg.mem_003_seen" {
            en: "{files} temporary files, {bytes} in {period} ({per_day} a day)",
            zh: "{period} 内产生 {files} 个临时文件，共 {bytes}（每天 {per_day}）"
        }
        MEM_004 = "inspect.pg.mem_004" { en: "index cache hit ratio", zh: "索引缓存命中率" }
        MEM_004_FIX = "inspect.pg.mem_004_fix" {
            en: "index reads miss the cache: indexes may be bloated (REINDEX CONCURRENTLY) or too large for memory; consider more shared_buffers or RAM",
            zh: "索引读取未命中缓存：索引可能膨胀（REINDEX CONCURRENTLY）或超出内存；可考虑调大 shared_buffers 或增加内存"
        }
        HIT_SEEN = "inspect.pg.hit_seen" {
            en: "{pct}% of {total} reads from cache in {period} (warning below {warning}, critical below {critical})",
            zh: "{period} 内 {total} 次读取中 {pct}% 命中缓存（低于 {warning} 警告，低于 {critical} 严重）"
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

pub(super) fn defs() -> Vec<Def> {
    use Group::{Configuration as C, Memory as M};
    vec![
        check("PG-CFG-001", C, msg::CFG_001, msg::CFG_001_FIX, |c| must_be_on(c, "fsync", Status::Critical))
            .src("postgresqltuner: fsync off → CRIT"),
        check("PG-CFG-002", C, msg::CFG_002, msg::CFG_002_FIX, |c| {
            must_be_on(c, "full_page_writes", Status::Critical)
        })
        .src("ours: torn-page risk"),
        check("PG-CFG-003", C, msg::CFG_003, msg::CFG_003_FIX, |c| {
            setting(c, "wal_level", |s| s.value == "minimal", Status::Warning, "replica")
        })
        .src("postgresqltuner: wal_level minimal"),
        check("PG-CFG-004", C, msg::CFG_004, msg::CFG_004_FIX, |c| must_be_on(c, "autovacuum", Status::Warning))
            .src("postgresqltuner, pg_gather: autovacuum off"),
        // No test can pass this check: scratch clusters come from initdb without -k and
        // ScratchOptions has no initdb arguments (see the report for the needed change).
        check("PG-CFG-005", C, msg::CFG_005, msg::CFG_005_FIX, |c| must_be_on(c, "data_checksums", Status::Warning))
            .tags(&["djbh3:8.1.4.7b"])
            .src("ours / 等保 8.1.4.7b; PG 18 initdb enables checksums by default"),
        check("PG-CFG-006", M, msg::CFG_006, msg::CFG_006_FIX, cfg_006)
            .th(vec![pct("low", 15.0), pct("high", 40.0)])
            .needs(crate::msg::NEEDS_HOST)
            .src("pg_gather: outside 20–30% of RAM → 25%; postgresqltuner: > 40% RAM → warn"),
        check("PG-CFG-007", M, msg::CFG_007, msg::CFG_007_FIX, cfg_007)
            .src("postgresqltuner: effective_cache_size < shared_buffers → warn"),
        check("PG-CFG-008", M, msg::CFG_008, msg::CFG_008_FIX, cfg_008)
            .th(vec![pct("warning", 80.0), pct("critical", 100.0)])
            .needs(crate::msg::NEEDS_HOST)
            .src("postgresqltuner: sb + max_connections × work_mem × 150% + autovacuum workers × mwm; > 80% warn, > 100% bad"),
        check("PG-CFG-009", M, msg::CFG_009, msg::CFG_009_FIX, |c| {
            setting(c, "maintenance_work_mem", |s| s.bytes().is_some_and(|b| b <= 64.0 * 1024.0 * 1024.0), Status::Info, "RAM/16, up to 2GB")
        })
        .src("postgresqltuner: maintenance_work_mem ≤ 64 MB (the default) → warn"),
        check("PG-CFG-010", C, msg::CFG_010, msg::CFG_010_FIX, cfg_010)
            .th(vec![count("per_cpu", 10.0), count("without_cpus", 500.0)])
            .src("pg_gather: max_connections > 10 × CPUs; > 500 without CPU information"),
        check("PG-CFG-011", C, msg::CFG_011, msg::CFG_011_FIX, |c| {
            setting(c, "superuser_reserved_connections", |s| s.num() == Some(0.0), Status::Warning, "3")
        })
        .src("postgresqltuner: superuser_reserved_connections = 0 → bad"),
        check("PG-CFG-012", M, msg::CFG_012, msg::CFG_012_FIX, cfg_012)
            .th(vec![bytes("min_shared_buffers", 2.0 * 1024.0 * 1024.0 * 1024.0)])
            .src("PGTune: huge_pages = try when shared_buffers ≥ 2 GB; pg_gather"),
        check("PG-CFG-013", C, msg::CFG_013, msg::CFG_013_FIX, |c| {
            setting(c, "checkpoint_completion_target", |s| s.num().is_some_and(|v| v < 0.7), Status::Info, "0.9")
        })
        .src("pg_gather: < 0.7 → 0.9; PGTune 0.9"),
        check("PG-CFG-014", C, msg::CFG_014, msg::CFG_014_FIX, |c| {
            setting(c, "checkpoint_timeout", |s| s.seconds().is_some_and(|v| v < 900.0), Status::Info, "15–30min")
        })
        .src("pg_gather: checkpoint_timeout < 1200 s → 1800 s (we flag below 15 min)"),
        check("PG-CFG-015", C, msg::CFG_015, msg::CFG_015_FIX, cfg_015)
            .counters()
            .src("pg_gather: max_wal_size < WAL per hour → ceil(WAL/h / 10 GB) × 10 GB"),
        check("PG-CFG-016", C, msg::CFG_016, msg::CFG_016_FIX, cfg_016)
            .src("postgresqltuner: random_page_cost must not be below seq_page_cost; pg_gather"),
        check("PG-CFG-017", C, msg::CFG_017, msg::CFG_017_FIX, |c| must_be_off(c, "jit", Status::Info))
            .src("pg_gather, PGTune: jit off for web/oltp/mixed"),
        check("PG-CFG-018", C, msg::CFG_018, msg::CFG_018_FIX, |c| must_be_on(c, "track_io_timing", Status::Info))
            .src("pg_gather: track_io_timing off → on"),
        check("PG-CFG-019", C, msg::CFG_019, msg::CFG_019_FIX, |c| {
            setting(c, "wal_compression", |s| matches!(s.value.as_str(), "off" | "false" | "0"), Status::Info, "lz4")
        })
        .src("pg_gather, PGTune: wal_compression on (lz4 on PG ≥ 15)"),
        check("PG-CFG-020", C, msg::CFG_020, msg::CFG_020_FIX, |c| {
            setting(c, "autovacuum_freeze_max_age", |s| s.num().is_some_and(|v| v > 800_000_000.0), Status::Warning, "≤ 800000000")
        })
        .src("pg_gather: autovacuum_freeze_max_age > 800 M → warn"),
        check("PG-CFG-021", C, msg::CFG_021, msg::CFG_021_FIX, |c| {
            setting(c, "idle_in_transaction_session_timeout", |s| s.num() == Some(0.0), Status::Info, "5min")
        })
        .src("pg_gather: timeouts unset; idle_in_transaction_session_timeout = 5 min"),
        check("PG-CFG-022", C, msg::CFG_022, msg::CFG_022_FIX, |c| {
            setting(c, "log_min_duration_statement", |s| s.num() == Some(-1.0), Status::Info, "1s")
        })
        .src("postgresqltuner: -1 → warn (pgbadger wants it low; research §4.4)"),
        check("PG-CFG-023", C, msg::CFG_023, msg::CFG_023_FIX, |c| {
            setting(c, "log_statement", |s| s.value == "all", Status::Warning, "ddl / mod, or pgaudit")
        })
        .src("postgresqltuner: log_statement = all → bad"),
        check("PG-CFG-024", C, msg::CFG_024, msg::CFG_024_FIX, cfg_024)
            .src("postgresqltuner: enable_* = off → bad"),
        check("PG-CFG-025", C, msg::CFG_025, msg::CFG_025_FIX, cfg_025)
            .probes(&["tablespaces"])
            .src("postgresqltuner, pg_gather: tablespace inside data_directory"),
        check("PG-CFG-026", C, msg::CFG_026, msg::CFG_026_FIX, cfg_026)
            .probes(&["pending_restart", "file_settings_errors"])
            .src("pg_gather: parameter file errors; pending_restart"),
        check("PG-CFG-027", C, msg::CFG_027, msg::CFG_027_FIX, |c| {
            setting(c, "log_temp_files", |s| s.num() == Some(-1.0), Status::Info, "10MB")
        })
        .src("pg_gather: high temp file generation → log_temp_files; pgbadger"),
        check("PG-CFG-028", C, msg::CFG_028, msg::CFG_028_FIX, |c| must_be_on(c, "log_checkpoints", Status::Info))
            .src("pgbadger needs log_checkpoints"),
        // Hit ratio bar: pghero's 99% (cache_hit_rate_threshold); critical below 90% (ours, the
        // level MySQLTuner calls bad for InnoDB). Too little activity in the period says so.
        check("PG-MEM-001", M, msg::MEM_001, msg::MEM_001_FIX, mem_001)
            .th(vec![pct("warning", 99.0), pct("critical", 90.0), count("min_reads", 10_000.0)])
            .counters()
            .src("pghero cache_hit_rate_threshold 99%; check_postgres `hitratio`"),
        check("PG-MEM-002", M, msg::MEM_002, msg::MEM_002_FIX, mem_002)
            .th(vec![pct("warning", 25.0), pct("critical", 50.0), count("min_buffers", 1_000.0)])
            .counters()
            .src("pgmetrics: share written by backends; pg_gather: memory pressure (ours: 25% / 50%)"),
        // 1 GiB of spills a day is a sign; 10 GiB a serious one (ours; pg_gather only says
        // "high").
        check("PG-MEM-003", M, msg::MEM_003, msg::MEM_003_FIX, mem_003)
            .th(vec![bytes("warning", 1024.0 * 1024.0 * 1024.0), bytes("critical", 10.0 * 1024.0 * 1024.0 * 1024.0)])
            .counters()
            .src("pg_gather: high temp file generation; pgbadger"),
        check("PG-MEM-004", M, msg::MEM_004, msg::MEM_004_FIX, mem_004)
            .th(vec![pct("warning", 98.0), pct("critical", 90.0), count("min_reads", 10_000.0)])
            .counters()
            .src("postgresqltuner: index hit > 98 good, > 90 warn, else bad"),
    ]
}

fn sb(c: &Ctx<'_>) -> Result<f64, Skip> {
    c.setting("shared_buffers")?
        .bytes()
        .ok_or_else(|| Skip(Text::verbatim("shared_buffers")))
}

fn cfg_006(c: &Ctx<'_>) -> Eval {
    let ram = c.ram()?;
    let sb = sb(c)?;
    let p = 100.0 * sb / ram;
    let status = if p > c.t("high") {
        Status::Warning
    } else if p < c.t("low") {
        Status::Info
    } else {
        Status::Ok
    };
    Ok(Outcome::new(
        status,
        Text::new(msg::CFG_006_SEEN)
            .arg("sb", human_bytes(sb))
            .arg("pct", format!("{p:.1}"))
            .arg("ram", human_bytes(ram)),
    )
    .value("shared_buffers_bytes", sb)
    .value("memory_bytes", ram)
    .value("percent", (p * 10.0).round() / 10.0))
}

fn cfg_007(c: &Ctx<'_>) -> Eval {
    let sb = sb(c)?;
    let ecs = c
        .setting("effective_cache_size")?
        .bytes()
        .ok_or_else(|| Skip(Text::verbatim("effective_cache_size")))?;
    Ok(Outcome::new(
        if ecs < sb {
            Status::Warning
        } else {
            Status::Ok
        },
        Text::new(msg::CFG_007_SEEN)
            .arg("ecs", human_bytes(ecs))
            .arg("sb", human_bytes(sb)),
    ))
}

fn cfg_008(c: &Ctx<'_>) -> Eval {
    let ram = c.ram()?;
    let sb = sb(c)?;
    let num = |n: &str| c.opt_setting(n).and_then(|s| s.num()).unwrap_or(0.0);
    let b = |n: &str| c.opt_setting(n).and_then(|s| s.bytes()).unwrap_or(0.0);
    let conns = num("max_connections");
    let wm = b("work_mem");
    let workers = num("autovacuum_max_workers");
    // autovacuum_work_mem = -1 means "use maintenance_work_mem".
    let avm = c
        .opt_setting("autovacuum_work_mem")
        .filter(|s| s.num().is_some_and(|v| v > 0.0))
        .and_then(|s| s.bytes())
        .unwrap_or_else(|| b("maintenance_work_mem"));
    // postgresqltuner's model: work_mem × 150% per connection (a query may use several).
    let total = sb + conns * wm * 1.5 + workers * avm;
    let p = 100.0 * total / ram;
    Ok(Outcome::new(
        c.above(p),
        Text::new(msg::CFG_008_SEEN)
            .arg("total", human_bytes(total))
            .arg("pct", format!("{p:.0}"))
            .arg("ram", human_bytes(ram))
            .arg("sb", human_bytes(sb))
            .arg("conns", conns)
            .arg("wm", human_bytes(wm))
            .arg("workers", workers)
            .arg("mwm", human_bytes(avm)),
    )
    .value("worst_case_bytes", total)
    .value("memory_bytes", ram)
    .value("percent", p.round()))
}

fn cfg_010(c: &Ctx<'_>) -> Eval {
    let conns = c
        .setting("max_connections")?
        .num()
        .ok_or_else(|| Skip(Text::verbatim("max_connections")))?;
    let (cpus, limit) = match c.host() {
        Ok(h) => (h.cpus.to_string(), c.t("per_cpu") * f64::from(h.cpus)),
        Err(_) => ("?".to_string(), c.t("without_cpus")),
    };
    Ok(Outcome::new(
        if conns > limit {
            Status::Info
        } else {
            Status::Ok
        },
        Text::new(msg::CFG_010_SEEN)
            .arg("conns", conns)
            .arg("cpus", cpus)
            .arg("limit", limit),
    )
    .value("max_connections", conns)
    .value("limit", limit))
}

fn cfg_012(c: &Ctx<'_>) -> Eval {
    let sb = sb(c)?;
    let hp = c.setting("huge_pages")?;
    let bad = sb >= c.t("min_shared_buffers") && hp.value == "off";
    Ok(Outcome::new(
        if bad { Status::Info } else { Status::Ok },
        Text::new(crate::msg::SETTING_IS)
            .arg("name", "huge_pages")
            .arg(
                "value",
                format!("{} (shared_buffers {})", hp.value, human_bytes(sb)),
            ),
    ))
}

fn cfg_015(c: &Ctx<'_>) -> Eval {
    let (wal, basis) = c.delta_only("db.wal_bytes")?;
    let max = c
        .setting("max_wal_size")?
        .bytes()
        .ok_or_else(|| Skip(Text::verbatim("max_wal_size")))?;
    if basis.seconds <= 0.0 {
        return Err(Skip(
            Text::new(crate::msg::COUNTER_MISSING).arg("counter", "db.wal_bytes"),
        ));
    }
    let per_hour = wal / basis.seconds * 3600.0;
    Ok(Outcome::new(
        if per_hour > max {
            Status::Info
        } else {
            Status::Ok
        },
        Text::new(msg::CFG_015_SEEN)
            .arg("rate", human_bytes(per_hour))
            .arg("max", human_bytes(max)),
    )
    .value("wal_bytes_per_hour", per_hour.round())
    .value("max_wal_size_bytes", max)
    .basis(basis))
}

fn cfg_016(c: &Ctx<'_>) -> Eval {
    let r = c.setting("random_page_cost")?.num().unwrap_or(4.0);
    let s = c.setting("seq_page_cost")?.num().unwrap_or(1.0);
    Ok(Outcome::new(
        if r < s { Status::Warning } else { Status::Ok },
        Text::new(msg::CFG_016_SEEN).arg("random", r).arg("seq", s),
    ))
}

fn cfg_024(c: &Ctx<'_>) -> Eval {
    let off: Vec<&String> = c
        .base()
        .settings
        .iter()
        .filter(|(n, s)| n.starts_with("enable_") && !s.is_on())
        // Some are off by default on purpose (enable_partitionwise_join): only a value
        // someone set counts.
        .filter(|(_, s)| s.source.as_deref() != Some("default"))
        .map(|(n, _)| n)
        .collect();
    if off.is_empty() {
        return Ok(Outcome::new(Status::Ok, Text::new(crate::msg::NONE_FOUND)));
    }
    Ok(Outcome::new(
        Status::Warning,
        Text::new(crate::msg::FOUND).arg("count", off.len()).arg(
            "list",
            off.iter()
                .map(|s| format!("{s} = off"))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    )
    .value(
        "disabled",
        off.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
    ))
}

fn cfg_025(c: &Ctx<'_>) -> Eval {
    let rows = c.rows("tablespaces")?;
    let data = c.base().facts.data_directory.clone().ok_or_else(|| {
        Skip(
            Text::new(crate::msg::SETTING_MISSING)
                .arg("name", "data_directory")
                .arg("version", &c.base().facts.version),
        )
    })?;
    let prefix = format!("{}/", data.trim_end_matches('/'));
    let inside: Vec<_> = rows
        .iter()
        .filter(|r| value::text_of(r.get("location")).starts_with(&prefix))
        .cloned()
        .collect();
    check::list(c, &inside, Status::Warning, "tablespace")
}

fn cfg_026(c: &Ctx<'_>) -> Eval {
    let pending = c.rows("pending_restart")?;
    // Reading pg_file_settings needs a superuser; without one the pending part still counts.
    let errors = c.rows("file_settings_errors").unwrap_or(&[]);
    let names: Vec<String> = pending
        .iter()
        .map(|r| value::text_of(r.get("name")))
        .collect();
    let bad = !pending.is_empty() || !errors.is_empty();
    let mut rows = pending.to_vec();
    rows.extend(errors.iter().cloned());
    Ok(Outcome::new(
        if bad { Status::Warning } else { Status::Ok },
        Text::new(msg::CFG_026_SEEN)
            .arg("pending", pending.len())
            .arg(
                "names",
                if names.is_empty() {
                    "-".into()
                } else {
                    names.join(", ")
                },
            )
            .arg("errors", errors.len()),
    )
    .rows(&rows, c.max_rows()))
}

/// A hit ratio over the basis period, "lower is worse"; too little activity is not judged.
pub(super) fn hit_ratio(c: &Ctx<'_>, hit_key: &str, read_key: &str) -> Eval {
    let (hit, basis) = match c.rate(hit_key)? {
        Ok(v) => v,
        Err(too_short) => return Ok(too_short),
    };
    let (read, _) = c.change(read_key)?;
    let total = hit + read;
    let period = crate::threshold::human_secs(basis.seconds);
    if total < c.t("min_reads") {
        return Ok(Outcome::new(
            Status::Ok,
            Text::new(crate::msg::RATIO_TOO_LITTLE)
                .arg("count", total)
                .arg("period", period)
                .arg("min", c.t("min_reads")),
        )
        .value("reads", total)
        .basis(basis));
    }
    let p = 100.0 * hit / total;
    Ok(Outcome::new(
        c.below(p),
        Text::new(msg::HIT_SEEN)
            .arg("pct", format!("{p:.2}"))
            .arg("total", total)
            .arg("period", period)
            .arg("warning", c.shown_t("warning"))
            .arg("critical", c.shown_t("critical")),
    )
    .value("hit_percent", (p * 100.0).round() / 100.0)
    .value("hits", hit)
    .value("reads", read)
    .basis(basis))
}

fn mem_001(c: &Ctx<'_>) -> Eval {
    hit_ratio(c, "db.blks_hit", "db.blks_read")
}

fn mem_004(c: &Ctx<'_>) -> Eval {
    hit_ratio(c, "io.idx_hit", "io.idx_read")
}

fn mem_002(c: &Ctx<'_>) -> Eval {
    let (backend, basis) = match c.rate("bgw.buf_backend")? {
        Ok(v) => v,
        Err(too_short) => return Ok(too_short),
    };
    let (checkpoint, _) = c.change("bgw.buf_checkpoint")?;
    let (clean, _) = c.change("bgw.buf_clean")?;
    let total = backend + checkpoint + clean;
    if total < c.t("min_buffers") {
        return Ok(Outcome::new(
            Status::Ok,
            Text::new(crate::msg::RATIO_TOO_LITTLE)
                .arg("count", total)
                .arg("period", crate::threshold::human_secs(basis.seconds))
                .arg("min", c.t("min_buffers")),
        )
        .basis(basis));
    }
    let p = 100.0 * backend / total;
    Ok(Outcome::new(
        c.above(p),
        Text::new(msg::MEM_002_SEEN)
            .arg("pct", format!("{p:.1}"))
            .arg("total", total)
            .arg("checkpoint", checkpoint)
            .arg("clean", clean),
    )
    .value("backend_percent", (p * 10.0).round() / 10.0)
    .value("buffers_backend", backend)
    .value("buffers_checkpoint", checkpoint)
    .value("buffers_clean", clean)
    .basis(basis))
}

fn mem_003(c: &Ctx<'_>) -> Eval {
    let (bytes, basis) = c.change("db.temp_bytes")?;
    let (files, _) = c.change("db.temp_files")?;
    // Thresholds are per day; a shorter period is compared as it is (not extrapolated: a
    // minute's burst is not a day's volume), a longer one averaged per day.
    let per_day = bytes / (basis.seconds / 86_400.0).max(1.0);
    let mut status = c.above(per_day);
    if status == Status::Ok && files > 0.0 {
        status = Status::Info;
    }
    Ok(Outcome::new(
        status,
        Text::new(msg::MEM_003_SEEN)
            .arg("files", files)
            .arg("bytes", human_bytes(bytes))
            .arg("period", crate::threshold::human_secs(basis.seconds))
            .arg("per_day", human_bytes(per_day)),
    )
    .value("temp_files", files)
    .value("temp_bytes", bytes)
    .value("bytes_per_day", per_day.round())
    .basis(basis))
}
