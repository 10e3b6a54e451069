-- The challenge lifecycle up to publication: the reason an officer gave the enterprise, attachment links,
-- the text of every published version, the configurable negative list (负面清单) officers screen against,
-- and vendors' acceptances of a confidential challenge's NDA terms. Times are UTC.
ALTER TABLE challenges ADD COLUMN status_reason TEXT NULL;

CREATE TABLE challenge_attachments (
    id            INTEGER PRIMARY KEY,
    challenge_id  INTEGER NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    url           TEXT NOT NULL
);
CREATE INDEX ix_challenge_attachments_challenge ON challenge_attachments (challenge_id);

-- One row per published version: the text vendors read at that time, as a JSON document.
CREATE TABLE challenge_versions (
    id              INTEGER PRIMARY KEY,
    challenge_id    INTEGER NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    version_number  INTEGER NOT NULL,
    content         TEXT NOT NULL,
    change_note     TEXT NULL,
    created_by      INTEGER NULL REFERENCES users (id),
    created_at      TEXT NOT NULL,
    UNIQUE (challenge_id, version_number)
);

-- A phrase is matched case-insensitively against the challenge text; "A + B" matches when every part occurs.
CREATE TABLE negative_list_entries (
    id          INTEGER PRIMARY KEY,
    phrase      TEXT NOT NULL,
    label_zh    TEXT NOT NULL,
    label_en    TEXT NOT NULL,
    is_active   INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  INTEGER NULL REFERENCES users (id)
);

CREATE TABLE challenge_nda_acceptances (
    challenge_id     INTEGER NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    organisation_id  INTEGER NOT NULL REFERENCES organisations (id),
    user_id          INTEGER NOT NULL REFERENCES users (id),
    terms_version    TEXT NOT NULL,
    accepted_at      TEXT NOT NULL,
    PRIMARY KEY (challenge_id, organisation_id)
);

-- Starting entries, drawn from China's generative-AI and ethics guidance and the EU AI Act's prohibited practices.
INSERT INTO negative_list_entries (phrase, label_zh, label_en, is_active, created_at, updated_at) VALUES
    ('员工 + 情绪识别', '人脸识别用于员工情绪监控', 'Emotion recognition used to monitor employees', 1, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z'),
    ('员工情绪监控', '人脸识别用于员工情绪监控', 'Emotion recognition used to monitor employees', 1, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z'),
    ('emotion recognition + employee', '人脸识别用于员工情绪监控', 'Emotion recognition used to monitor employees', 1, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z'),
    ('emotion recognition + worker', '人脸识别用于员工情绪监控', 'Emotion recognition used to monitor employees', 1, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z'),
    ('社会信用评分', '社会评分（对个人进行综合信用打分）', 'Social scoring of individuals', 1, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z'),
    ('社会评分', '社会评分（对个人进行综合信用打分）', 'Social scoring of individuals', 1, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z'),
    ('social scoring', '社会评分（对个人进行综合信用打分）', 'Social scoring of individuals', 1, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z'),
    ('深度伪造', '深度伪造（冒用他人声音或肖像）', 'Deepfakes impersonating real people', 1, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z'),
    ('deepfake', '深度伪造（冒用他人声音或肖像）', 'Deepfakes impersonating real people', 1, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z'),
    ('换脸', '深度伪造（冒用他人声音或肖像）', 'Deepfakes impersonating real people', 1, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z'),
    ('自主武器', '致命性自主武器系统', 'Lethal autonomous weapons', 1, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z'),
    ('autonomous weapon', '致命性自主武器系统', 'Lethal autonomous weapons', 1, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z'),
    ('隐蔽 + 生物识别', '隐蔽的生物特征监控', 'Covert biometric surveillance', 1, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z'),
    ('秘密采集 + 人脸', '隐蔽的生物特征监控', 'Covert biometric surveillance', 1, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z'),
    ('covert + biometric', '隐蔽的生物特征监控', 'Covert biometric surveillance', 1, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z'),
    ('人脸识别 + 未经同意', '未经同意的人脸识别', 'Facial recognition without consent', 1, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z'),
    ('facial recognition + without consent', '未经同意的人脸识别', 'Facial recognition without consent', 1, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z'),
    ('预测性警务', '预测性警务（对个人犯罪风险画像）', 'Predictive policing of individuals', 1, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z'),
    ('predictive policing', '预测性警务（对个人犯罪风险画像）', 'Predictive policing of individuals', 1, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z'),
    ('潜意识操纵', '利用潜意识技术操纵行为', 'Subliminal manipulation of behaviour', 1, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z'),
    ('subliminal', '利用潜意识技术操纵行为', 'Subliminal manipulation of behaviour', 1, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z');
