-- dbkeeper sample data: a provincial internet-hospital regulatory platform (互联网医院监管平台).
--
-- Synthetic, and the same on every load: every value is computed from a row number, so a
-- restore drill can compare a restored copy with a fresh load. Runs inside the target database
-- (the loader creates it and makes it the default) as one multi-statement batch; compound
-- statements need no DELIMITER because the server, not a client, splits the batch.
-- Works on MariaDB 10.3+ and MySQL 8.0+.

SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';

-- Row numbers 1..10000 from a cross join of digits: recursive CTEs are capped at 1000 rows by
-- default on MySQL (cte_max_recursion_depth), and a temporary table cannot be joined to itself.
CREATE TABLE _digits (d TINYINT UNSIGNED NOT NULL PRIMARY KEY) ENGINE = InnoDB;
INSERT INTO _digits VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9);
CREATE TABLE _seq (n INT UNSIGNED NOT NULL PRIMARY KEY) ENGINE = InnoDB;
INSERT INTO _seq (n)
SELECT 1 + a.d + 10 * b.d + 100 * c.d + 1000 * e.d
FROM _digits a CROSS JOIN _digits b CROSS JOIN _digits c CROSS JOIN _digits e;

-- Masks a mobile number the way the platform shows it: 138****5678.
CREATE FUNCTION mask_phone(p VARCHAR(20)) RETURNS VARCHAR(20) CHARACTER SET utf8mb4
    DETERMINISTIC NO SQL
    COMMENT '手机号脱敏'
    RETURN CONCAT(LEFT(p, 3), '****', RIGHT(p, 4));

CREATE TABLE hospitals (
    id            INT UNSIGNED NOT NULL AUTO_INCREMENT,
    name          VARCHAR(100) NOT NULL COMMENT '医疗机构名称',
    city          VARCHAR(20)  NOT NULL COMMENT '所在城市',
    level         VARCHAR(20)  NOT NULL COMMENT '医院等级',
    license_no    CHAR(12)     NOT NULL COMMENT '医疗机构执业许可证登记号',
    slogan        VARCHAR(200)     NULL COMMENT '服务口号',
    registered_on DATE         NOT NULL COMMENT '互联网医院备案日期',
    PRIMARY KEY (id),
    UNIQUE KEY uk_hospitals_name (name),
    UNIQUE KEY uk_hospitals_license (license_no)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci COMMENT = '医疗机构';

CREATE TABLE doctors (
    id            INT UNSIGNED NOT NULL AUTO_INCREMENT,
    hospital_id   INT UNSIGNED NOT NULL,
    name          VARCHAR(20)  NOT NULL COMMENT '姓名',
    gender        ENUM('男', '女') NOT NULL,
    department    VARCHAR(20)  NOT NULL COMMENT '科室',
    title         VARCHAR(20)  NOT NULL COMMENT '职称',
    practice_no   CHAR(15)     NOT NULL COMMENT '执业证书编号',
    online_since  DATE         NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_doctors_practice_no (practice_no),
    CONSTRAINT fk_doctors_hospital FOREIGN KEY (hospital_id) REFERENCES hospitals (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci COMMENT = '医师';

CREATE TABLE nurses (
    id               INT UNSIGNED NOT NULL AUTO_INCREMENT,
    hospital_id      INT UNSIGNED NOT NULL,
    name             VARCHAR(20)  NOT NULL COMMENT '姓名',
    department       VARCHAR(20)  NOT NULL COMMENT '科室',
    qualification_no CHAR(12)     NOT NULL COMMENT '护士执业证书编号',
    home_visits      TINYINT(1)   NOT NULL DEFAULT 0 COMMENT '可提供上门护理',
    PRIMARY KEY (id),
    UNIQUE KEY uk_nurses_qualification_no (qualification_no),
    CONSTRAINT fk_nurses_hospital FOREIGN KEY (hospital_id) REFERENCES hospitals (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci COMMENT = '护士';

CREATE TABLE patients (
    id         INT UNSIGNED NOT NULL AUTO_INCREMENT,
    name       VARCHAR(20)  NOT NULL COMMENT '姓名',
    gender     ENUM('男', '女') NOT NULL,
    birth_date DATE         NOT NULL,
    id_number  CHAR(18)     NOT NULL COMMENT '身份证号（脱敏）',
    phone      VARCHAR(20)  NOT NULL COMMENT '手机号（脱敏）',
    remark     VARCHAR(200)     NULL COMMENT '备注',
    PRIMARY KEY (id),
    KEY idx_patients_name (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci COMMENT = '患者';

CREATE TABLE consultations (
    id          INT UNSIGNED NOT NULL AUTO_INCREMENT,
    patient_id  INT UNSIGNED NOT NULL,
    doctor_id   INT UNSIGNED NOT NULL,
    channel     ENUM('图文', '视频', '电话') NOT NULL COMMENT '问诊方式',
    complaint   VARCHAR(200) NOT NULL COMMENT '主诉',
    started_at  DATETIME     NOT NULL,
    ended_at    DATETIME         NULL,
    status      ENUM('进行中', '已完成', '已取消') NOT NULL,
    fee         DECIMAL(8, 2) NOT NULL COMMENT '诊查费（元）',
    PRIMARY KEY (id),
    KEY idx_consultations_started_at (started_at),
    CONSTRAINT fk_consultations_patient FOREIGN KEY (patient_id) REFERENCES patients (id),
    CONSTRAINT fk_consultations_doctor FOREIGN KEY (doctor_id) REFERENCES doctors (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci COMMENT = '在线问诊';

CREATE TABLE prescriptions (
    id              INT UNSIGNED NOT NULL AUTO_INCREMENT,
    consultation_id INT UNSIGNED NOT NULL,
    drug            VARCHAR(50)  NOT NULL COMMENT '药品名称',
    usage_note      VARCHAR(50)  NOT NULL COMMENT '用法用量',
    quantity        SMALLINT UNSIGNED NOT NULL,
    unit_price      DECIMAL(10, 2) NOT NULL COMMENT '单价（元）',
    amount          DECIMAL(12, 2) NOT NULL DEFAULT 0 COMMENT '金额（元），由触发器计算',
    issued_at       DATETIME     NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_prescriptions_consultation FOREIGN KEY (consultation_id) REFERENCES consultations (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci COMMENT = '电子处方';

-- The platform prices every prescription line itself and refuses empty ones.
CREATE TRIGGER trg_prescriptions_amount BEFORE INSERT ON prescriptions
FOR EACH ROW
BEGIN
    IF NEW.quantity = 0 THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '处方药品数量必须大于 0';
    END IF;
    SET NEW.amount = ROUND(NEW.unit_price * NEW.quantity, 2);
END;

-- 24 hospitals: four provincial ones, then city hospitals.
INSERT INTO hospitals (id, name, city, level, license_no, slogan, registered_on)
SELECT n,
       CASE WHEN n <= 4
            THEN ELT(n, '省人民医院', '省中医院', '省妇幼保健院', '省肿瘤医院')
            ELSE CONCAT(ELT(1 + (n - 5) % 10, '南京', '苏州', '无锡', '常州', '徐州',
                                              '南通', '扬州', '镇江', '泰州', '盐城'),
                        ELT(1 + (n - 5) DIV 10, '市第一人民医院', '市中医院'))
       END,
       CASE WHEN n <= 4 THEN '南京'
            ELSE ELT(1 + (n - 5) % 10, '南京', '苏州', '无锡', '常州', '徐州',
                                       '南通', '扬州', '镇江', '泰州', '盐城')
       END,
       IF(n <= 12, '三级甲等', '二级甲等'),
       CONCAT('PDY', LPAD(32010000 + n * 37, 9, '0')),
       CASE WHEN n = 1 THEN '守护全省人民健康 ❤️'
            WHEN n % 5 = 0 THEN '让数据多跑路，让患者少跑腿'
            ELSE NULL END,
       DATE_ADD('2019-06-01', INTERVAL n * 23 DAY)
FROM _seq WHERE n <= 24;

-- 400 doctors.
INSERT INTO doctors (id, hospital_id, name, gender, department, title, practice_no, online_since)
SELECT n,
       1 + (n - 1) % 24,
       CONCAT(ELT(1 + (n * 7) % 30,
                  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周',
                  '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗',
                  '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '欧阳'),
              ELT(1 + (n * 13) % 40,
                  '伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军',
                  '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞',
                  '平', '刚', '桂英', '建华', '文', '华', '红', '志强', '春梅', '晓东',
                  '海燕', '国庆', '玉兰', '子涵', '浩然', '雨桐', '思远', '欣怡', '振国', '婷')),
       ELT(1 + n % 2, '男', '女'),
       ELT(1 + (n * 3) % 10, '内科', '外科', '儿科', '妇产科', '眼科',
                             '耳鼻喉科', '皮肤科', '中医科', '口腔科', '精神科'),
       ELT(1 + n % 4, '住院医师', '主治医师', '副主任医师', '主任医师'),
       CONCAT('110320', LPAD(n * 7919 % 1000000, 6, '0'), LPAD(n % 1000, 3, '0')),
       DATE_ADD('2020-01-01', INTERVAL (n * 11) % 1200 DAY)
FROM _seq WHERE n <= 400;

-- 300 nurses.
INSERT INTO nurses (id, hospital_id, name, department, qualification_no, home_visits)
SELECT n,
       1 + (n * 5) % 24,
       CONCAT(ELT(1 + (n * 11) % 30,
                  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周',
                  '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗',
                  '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '欧阳'),
              ELT(1 + (n * 17) % 20,
                  '丽', '静', '敏', '燕', '婷', '娟', '雪', '琳', '倩', '佳',
                  '晓燕', '海霞', '美玲', '雅琴', '慧', '颖', '玲玲', '小红', '春燕', '梦瑶')),
       ELT(1 + n % 6, '内科', '外科', '儿科', '妇产科', '老年科', '康复科'),
       CONCAT('20', LPAD(15 + n % 9, 2, '0'), '3201', LPAD(n, 4, '0')),
       n % 3 = 0
FROM _seq WHERE n <= 300;

-- 2000 patients, identity numbers and phones masked as the platform stores them.
INSERT INTO patients (id, name, gender, birth_date, id_number, phone, remark)
SELECT n,
       CONCAT(ELT(1 + (n * 3) % 30,
                  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周',
                  '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗',
                  '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '欧阳'),
              ELT(1 + (n * 7) % 40,
                  '伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军',
                  '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞',
                  '平', '刚', '桂英', '建华', '文', '华', '红', '志强', '春梅', '晓东',
                  '海燕', '国庆', '玉兰', '子涵', '浩然', '雨桐', '思远', '欣怡', '振国', '婷')),
       ELT(1 + (n + 1) % 2, '男', '女'),
       DATE_ADD('1940-01-01', INTERVAL (n * 7919) % 29000 DAY),
       CONCAT('3201', LPAD(1 + n % 15, 2, '0'), '********',
              LPAD((n * 31) % 1000, 3, '0'), ELT(1 + n % 11, '0', '1', '2', '3', '4', '5',
                                                              '6', '7', '8', '9', 'X')),
       mask_phone(CONCAT('1', ELT(1 + n % 5, '38', '39', '58', '86', '77'),
                         LPAD((n * 7919) % 100000000, 8, '0'))),
       CASE WHEN n % 50 = 0 THEN '高龄患者，需家属陪同 👨‍👩‍👧'
            WHEN n % 7 = 0 THEN '医保：城镇职工'
            ELSE NULL END
FROM _seq WHERE n <= 2000;

-- 3000 consultations over the year 2024.
INSERT INTO consultations (id, patient_id, doctor_id, channel, complaint, started_at, ended_at, status, fee)
SELECT n,
       1 + (n * 17) % 2000,
       1 + (n * 29) % 400,
       ELT(1 + n % 3, '图文', '视频', '电话'),
       ELT(1 + n % 12, '发热三天，伴咳嗽', '头痛头晕', '高血压复诊', '糖尿病复诊，血糖控制不佳',
                       '皮疹瘙痒', '儿童腹泻', '失眠多梦', '腰痛', '咽喉肿痛', '孕期咨询',
                       '复诊开药 💊', '体检报告解读'),
       DATE_ADD('2024-01-01 08:00:00', INTERVAL (n * 97) % 525600 MINUTE),
       CASE WHEN n % 97 = 0 OR n % 20 = 0 THEN NULL
            ELSE DATE_ADD('2024-01-01 08:00:00', INTERVAL (n * 97) % 525600 + 5 + n % 40 MINUTE)
       END,
       CASE WHEN n % 97 = 0 THEN '进行中' WHEN n % 20 = 0 THEN '已取消' ELSE '已完成' END,
       ELT(1 + n % 4, 0.00, 9.90, 15.00, 30.00)
FROM _seq WHERE n <= 3000;

-- 2500 prescription lines; the trigger computes each amount.
INSERT INTO prescriptions (id, consultation_id, drug, usage_note, quantity, unit_price, issued_at)
SELECT s.n,
       c.id,
       ELT(1 + (s.n * 11) % 15, '阿莫西林胶囊', '布洛芬缓释胶囊', '盐酸二甲双胍片', '苯磺酸氨氯地平片',
                                '阿托伐他汀钙片', '连花清瘟胶囊', '蒙脱石散', '氯雷他定片',
                                '奥美拉唑肠溶胶囊', '头孢克肟分散片', '复方甘草片', '硝苯地平控释片',
                                '板蓝根颗粒', '维生素C片', '六味地黄丸'),
       ELT(1 + s.n % 4, '每日三次，每次一粒', '每日两次，每次两片', '每日一次，每次一片', '必要时服用'),
       1 + s.n % 3,
       ELT(1 + (s.n * 11) % 15, 12.50, 18.80, 9.60, 23.40, 35.70, 14.90, 11.20, 19.80,
                                27.30, 31.50, 6.80, 42.00, 8.50, 5.20, 16.60),
       DATE_ADD(c.started_at, INTERVAL 3 MINUTE)
FROM _seq s JOIN consultations c ON c.id = 1 + (s.n * 7) % 3000
WHERE s.n <= 2500;

-- What the health commission looks at first: consultations and prescription value per hospital.
CREATE VIEW v_hospital_activity AS
SELECT h.id                                AS hospital_id,
       h.name                              AS hospital,
       COUNT(c.id)                         AS consultations,
       SUM(c.status = '已完成')            AS completed,
       COALESCE(SUM(p.total), 0)           AS prescription_amount
FROM hospitals h
JOIN doctors d ON d.hospital_id = h.id
JOIN consultations c ON c.doctor_id = d.id
LEFT JOIN (SELECT consultation_id, SUM(amount) AS total
           FROM prescriptions GROUP BY consultation_id) p ON p.consultation_id = c.id
GROUP BY h.id, h.name;

-- One doctor's workload in a period, as the monthly supervision report lists it.
CREATE PROCEDURE doctor_workload(IN p_doctor INT UNSIGNED, IN p_from DATE, IN p_to DATE)
    READS SQL DATA
    COMMENT '医师工作量统计'
BEGIN
    SELECT d.name, COUNT(c.id) AS consultations, SUM(c.status = '已完成') AS completed
    FROM doctors d
    LEFT JOIN consultations c
           ON c.doctor_id = d.id AND c.started_at >= p_from AND c.started_at < p_to
    WHERE d.id = p_doctor
    GROUP BY d.id, d.name;
END;

DROP TABLE _seq;
DROP TABLE _digits;
