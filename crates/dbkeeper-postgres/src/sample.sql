-- A small synthetic sample of a provincial internet-hospital regulatory platform
-- (互联网医院监管平台). Every row is computed from generate_series with modular arithmetic:
-- no random(), no now(), so two loads give identical data and a restored copy can be compared
-- with a fresh one. The people, numbers and hospitals are invented.
--
-- It exercises what backup and restore must carry: a plain sequence and an identity column,
-- foreign keys, unique and check constraints, a generated column, numeric money, dates and
-- timestamps with time zone, NULLs, Chinese and emoji text, bytea with zero bytes, jsonb,
-- arrays, an enum type, indexes (one partial), a view, a materialized view, a plpgsql trigger
-- and SQL functions, and comments in Chinese.

CREATE TYPE consultation_status AS ENUM ('进行中', '已完成', '已取消');

CREATE FUNCTION touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION touch_updated_at() IS '更新时自动刷新 updated_at';

-- '13812345678' -> '138****5678'
CREATE FUNCTION mask_phone(phone text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT left(phone, 3) || '****' || right(phone, 4)
$$;

-- Name pools: index i picks pool[(i * step) % n + 1], a deterministic spread.
CREATE FUNCTION sample_name(i integer) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT (ARRAY['王','李','张','刘','陈','杨','黄','赵','吴','周','徐','孙','马','朱','胡','郭','何','高','林','罗',
                  '郑','梁','谢','宋','唐','许','韩','冯','邓','曹','欧阳','司马'])[(i * 7) % 32 + 1]
        || (ARRAY['伟','芳','娜','敏','静','丽','强','磊','军','洋','勇','艳','杰','娟','涛','明','超','秀英','霞','平',
                  '刚','桂英','建华','晓东','文博','子涵','雨轩','思远','欣怡','浩然','梓萱','一诺','嘉怡','俊杰','婉清','志强'])[(i * 13) % 36 + 1]
$$;

CREATE SEQUENCE hospital_id_seq START WITH 1001;

CREATE TABLE hospitals (
    id               integer PRIMARY KEY DEFAULT nextval('hospital_id_seq'),
    org_code         char(18) NOT NULL UNIQUE,          -- 统一社会信用代码 (synthetic)
    name             text NOT NULL UNIQUE,
    city             text NOT NULL,
    level            text NOT NULL CHECK (level IN ('三级甲等', '三级乙等', '二级甲等')),
    license_no       text NOT NULL,                      -- 医疗机构执业许可证登记号
    internet_license boolean NOT NULL DEFAULT true,
    opened_on        date NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT '2025-01-01 00:00:00+08'
);
ALTER SEQUENCE hospital_id_seq OWNED BY hospitals.id;
COMMENT ON TABLE hospitals IS '接入监管平台的互联网医院';
COMMENT ON COLUMN hospitals.license_no IS '医疗机构执业许可证登记号';

CREATE TABLE doctors (
    id               integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    hospital_id      integer NOT NULL REFERENCES hospitals (id),
    name             text NOT NULL,
    gender           text NOT NULL CHECK (gender IN ('男', '女')),
    department       text NOT NULL,
    title            text NOT NULL,                      -- 职称
    practice_cert_no char(15) NOT NULL UNIQUE,          -- 执业证书编号
    specialties      text[] NOT NULL DEFAULT '{}',
    registered_at    timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT '2025-01-01 00:00:00+08'
);
COMMENT ON TABLE doctors IS '医师及其执业资质';
COMMENT ON COLUMN doctors.practice_cert_no IS '医师执业证书编号';

CREATE TABLE nurses (
    id                  serial PRIMARY KEY,
    hospital_id         integer NOT NULL REFERENCES hospitals (id),
    name                text NOT NULL,
    title               text NOT NULL,
    qualification_no    char(12) NOT NULL UNIQUE,       -- 护士执业证书编号
    home_care_certified boolean NOT NULL,               -- 可提供“互联网+护理服务”
    qualified_on        date NOT NULL
);
COMMENT ON TABLE nurses IS '护士及其执业资质';

CREATE TABLE patients (
    id           bigserial PRIMARY KEY,
    name         text NOT NULL,
    gender       text NOT NULL CHECK (gender IN ('男', '女')),
    birth_date   date NOT NULL,
    id_no_masked text NOT NULL,                          -- 身份证号（脱敏）
    phone        text NOT NULL,
    allergies    text,                                   -- NULL when none recorded
    note         text,
    updated_at   timestamptz NOT NULL DEFAULT '2025-01-01 00:00:00+08'
);
COMMENT ON TABLE patients IS '患者（身份证号已脱敏）';

CREATE TABLE consultations (
    id           bigserial PRIMARY KEY,
    patient_id   bigint NOT NULL REFERENCES patients (id),
    doctor_id    integer NOT NULL REFERENCES doctors (id),
    channel      text NOT NULL,                          -- 图文 / 视频 / 电话
    started_at   timestamptz NOT NULL,
    ended_at     timestamptz,
    status       consultation_status NOT NULL,
    fee          numeric(8, 2) NOT NULL CHECK (fee >= 0),
    diagnosis    text,
    rating       smallint CHECK (rating BETWEEN 1 AND 5),
    extra        jsonb NOT NULL DEFAULT '{}'
);
COMMENT ON TABLE consultations IS '在线问诊记录';

CREATE TABLE prescriptions (
    id              bigserial PRIMARY KEY,
    consultation_id bigint NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    drug_name       text NOT NULL,
    specification   text NOT NULL,
    quantity        integer NOT NULL CHECK (quantity > 0),
    unit_price      numeric(10, 2) NOT NULL,
    amount          numeric(12, 2) GENERATED ALWAYS AS (quantity * unit_price) STORED,
    pharmacist_ok   boolean NOT NULL,                    -- 药师审方通过
    signature       bytea NOT NULL,                      -- 电子签名摘要（含零字节）
    prescribed_at   timestamptz NOT NULL
);
COMMENT ON TABLE prescriptions IS '电子处方明细';

INSERT INTO hospitals (org_code, name, city, level, license_no, internet_license, opened_on)
SELECT '12330000' || lpad((470000 + i * 37)::text, 9, '0') || chr(65 + i % 26),
       city || name,
       city,
       (ARRAY['三级甲等', '三级乙等', '二级甲等'])[i % 3 + 1],
       'PDY' || lpad((i * 7919)::text, 8, '0') || '33010' || (i % 10),
       i % 5 <> 4,
       date '2016-03-01' + i * 97
  FROM (SELECT i,
               (ARRAY['省人民医院', '省中医院', '省儿童医院', '省肿瘤医院', '市第一人民医院', '市中心医院',
                      '省妇幼保健院', '医科大学附属第一医院', '市第二人民医院', '县人民医院', '省口腔医院',
                      '省精神卫生中心'])[i + 1] AS name,
               (ARRAY['杭州', '宁波', '温州', '嘉兴', '湖州', '绍兴'])[i % 6 + 1] AS city
          FROM generate_series(0, 11) AS i) AS h;

INSERT INTO doctors (hospital_id, name, gender, department, title, practice_cert_no,
                     specialties, registered_at)
SELECT 1001 + i % 12,
       sample_name(i),
       CASE WHEN i % 3 = 0 THEN '女' ELSE '男' END,
       (ARRAY['内科', '外科', '儿科', '妇产科', '眼科', '皮肤科', '中医科', '精神科', '口腔科', '耳鼻喉科'])[i % 10 + 1],
       (ARRAY['主任医师', '副主任医师', '主治医师', '住院医师'])[i % 4 + 1],
       '1103301' || lpad((i * 104729 % 100000000)::text, 8, '0'),
       CASE WHEN i % 7 = 0 THEN '{}'::text[]
            ELSE ARRAY[(ARRAY['高血压', '糖尿病', '哮喘', '湿疹', '近视', '失眠', '骨折康复'])[i % 7 + 1],
                       (ARRAY['慢病管理', '复诊开方', '健康咨询'])[i % 3 + 1]] END,
       timestamptz '2019-06-01 09:00:00+08' + i * interval '3 days 7 hours'
  FROM generate_series(0, 239) AS i;

INSERT INTO nurses (hospital_id, name, title, qualification_no, home_care_certified, qualified_on)
SELECT 1001 + i % 12,
       sample_name(i + 1000),
       (ARRAY['主任护师', '副主任护师', '主管护师', '护师', '护士'])[i % 5 + 1],
       '20' || lpad((i * 48271 % 10000000000)::text, 10, '0'),
       i % 4 = 0,
       date '2008-09-01' + i * 11
  FROM generate_series(0, 359) AS i;

INSERT INTO patients (name, gender, birth_date, id_no_masked, phone, allergies, note)
SELECT sample_name(i + 5000),
       CASE WHEN i % 2 = 0 THEN '女' ELSE '男' END,
       date '1940-01-01' + (i * 7907) % 30000,
       '3301' || lpad((i % 100)::text, 2, '0') || '********' || lpad((i * 31 % 10000)::text, 4, '0'),
       (ARRAY['138', '139', '150', '186', '177'])[i % 5 + 1] || lpad((i * 7919 % 100000000)::text, 8, '0'),
       CASE i % 9 WHEN 0 THEN '青霉素' WHEN 4 THEN '磺胺类；头孢类' ELSE NULL END,
       CASE WHEN i % 50 = 0 THEN '复诊患者 😀，请注意随访' WHEN i % 17 = 0 THEN '' ELSE NULL END
  FROM generate_series(0, 1499) AS i;

INSERT INTO consultations (patient_id, doctor_id, channel, started_at, ended_at, status, fee,
                           diagnosis, rating, extra)
SELECT 1 + (i * 37) % 1500,
       1 + (i * 11) % 240,
       (ARRAY['图文问诊', '视频问诊', '电话问诊'])[i % 3 + 1],
       timestamptz '2025-01-01 08:00:00+08' + i * interval '73 minutes',
       CASE WHEN i % 10 = 1 THEN NULL
            ELSE timestamptz '2025-01-01 08:00:00+08' + i * interval '73 minutes'
                 + (10 + i % 35) * interval '1 minute' END,
       (CASE i % 10 WHEN 0 THEN '已取消' WHEN 1 THEN '进行中' ELSE '已完成' END)::consultation_status,
       (ARRAY[0.00, 9.90, 19.90, 29.00, 50.00])[i % 5 + 1],
       CASE WHEN i % 10 IN (0, 1) THEN NULL
            ELSE (ARRAY['上呼吸道感染', '原发性高血压', '2型糖尿病', '过敏性鼻炎', '慢性胃炎', '湿疹', '失眠症'])[i % 7 + 1] END,
       CASE WHEN i % 10 IN (0, 1) OR i % 6 = 0 THEN NULL ELSE (i % 5 + 1) END,
       jsonb_build_object('source', (ARRAY['app', 'wechat', 'web'])[i % 3 + 1],
                          'revisit', i % 4 = 0,
                          'platform_seq', i)
  FROM generate_series(0, 1999) AS i;

-- Completed consultations get one to three prescription lines.
INSERT INTO prescriptions (consultation_id, drug_name, specification, quantity, unit_price,
                           pharmacist_ok, signature, prescribed_at)
SELECT c.id,
       (ARRAY['阿莫西林胶囊', '硝苯地平控释片', '二甲双胍缓释片', '氯雷他定片', '奥美拉唑肠溶胶囊',
              '布地奈德鼻喷雾剂', '右佐匹克隆片'])[(c.id + k) % 7 + 1],
       (ARRAY['0.25g×24粒', '30mg×7片', '0.5g×30片', '10mg×6片', '20mg×14粒', '64μg×120喷', '3mg×7片'])[(c.id + k) % 7 + 1],
       1 + (c.id + k) % 3,
       (ARRAY[12.50, 33.80, 21.00, 18.60, 26.40, 78.00, 41.20])[(c.id + k) % 7 + 1],
       (c.id + k) % 13 <> 0,
       decode('00' || lpad(to_hex(c.id * 3 + k), 8, '0') || '00ff', 'hex'),
       c.ended_at
  FROM consultations AS c
  CROSS JOIN generate_series(0, 2) AS k
 WHERE c.status = '已完成' AND k <= c.id % 3
 ORDER BY c.id, k;

CREATE INDEX consultations_started_at_idx ON consultations (started_at);
CREATE INDEX consultations_patient_idx ON consultations (patient_id);
CREATE INDEX consultations_open_idx ON consultations (doctor_id) WHERE status = '进行中';
CREATE INDEX prescriptions_consultation_idx ON prescriptions (consultation_id);
CREATE INDEX doctors_hospital_idx ON doctors (hospital_id, department);

-- Triggers last, so the load itself keeps the fixed updated_at values.
CREATE TRIGGER hospitals_touch BEFORE UPDATE ON hospitals
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER doctors_touch BEFORE UPDATE ON doctors
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER patients_touch BEFORE UPDATE ON patients
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- Daily consultations per hospital, in the platform's time zone.
CREATE VIEW daily_consultations AS
SELECT (c.started_at AT TIME ZONE 'Asia/Shanghai')::date AS day,
       d.hospital_id,
       h.name AS hospital_name,
       count(*) AS consultations,
       count(*) FILTER (WHERE c.status = '已完成') AS completed,
       sum(c.fee) AS fees
  FROM consultations AS c
  JOIN doctors AS d ON d.id = c.doctor_id
  JOIN hospitals AS h ON h.id = d.hospital_id
 GROUP BY 1, 2, 3;
COMMENT ON VIEW daily_consultations IS '各医院每日问诊量';

CREATE VIEW patient_contacts AS
SELECT id, name, mask_phone(phone) AS phone_masked FROM patients;

CREATE MATERIALIZED VIEW prescription_totals AS
SELECT p.drug_name, count(*) AS lines, sum(p.quantity) AS quantity, sum(p.amount) AS amount
  FROM prescriptions AS p
 GROUP BY p.drug_name;

CREATE FUNCTION hospital_consultation_count(hospital integer) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT count(*)
      FROM consultations AS c
      JOIN doctors AS d ON d.id = c.doctor_id
     WHERE d.hospital_id = hospital
$$;
