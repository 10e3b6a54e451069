-- The challenge lifecycle up to publication: the reason an officer gave the enterprise, attachment links,
-- the text of every published version, the configurable negative list (负面清单) officers screen against,
-- and vendors' acceptances of a confidential challenge's NDA terms. Times are UTC.
ALTER TABLE challenges ADD status_reason NVARCHAR(MAX) NULL;

CREATE TABLE challenge_attachments (
    id            BIGINT IDENTITY(1, 1) PRIMARY KEY,
    challenge_id  BIGINT NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    position      INT NOT NULL,
    url           NVARCHAR(2000) NOT NULL
);
CREATE INDEX ix_challenge_attachments_challenge ON challenge_attachments (challenge_id);

-- One row per published version: the text vendors read at that time, as a JSON document.
CREATE TABLE challenge_versions (
    id              BIGINT IDENTITY(1, 1) PRIMARY KEY,
    challenge_id    BIGINT NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    version_number  INT NOT NULL,
    content         NVARCHAR(MAX) NOT NULL,
    change_note     NVARCHAR(MAX) NULL,
    created_by      BIGINT NULL REFERENCES users (id),
    created_at      DATETIMEOFFSET NOT NULL,
    CONSTRAINT ux_challenge_versions UNIQUE (challenge_id, version_number)
);

-- A phrase is matched case-insensitively against the challenge text; "A + B" matches when every part occurs.
CREATE TABLE negative_list_entries (
    id          BIGINT IDENTITY(1, 1) PRIMARY KEY,
    phrase      NVARCHAR(400) NOT NULL,
    label_zh    NVARCHAR(400) NOT NULL,
    label_en    NVARCHAR(400) NOT NULL,
    is_active   BIT NOT NULL DEFAULT 1,
    created_at  DATETIMEOFFSET NOT NULL,
    updated_at  DATETIMEOFFSET NOT NULL,
    updated_by  BIGINT NULL REFERENCES users (id)
);

CREATE TABLE challenge_nda_acceptances (
    challenge_id     BIGINT NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    user_id          BIGINT NOT NULL REFERENCES users (id),
    terms_version    NVARCHAR(32) NOT NULL,
    accepted_at      DATETIMEOFFSET NOT NULL,
    PRIMARY KEY (challenge_id, organisation_id)
);

-- Starting entries, drawn from China's generative-AI and ethics guidance and the EU AI Act's prohibited practices.
INSERT INTO negative_list_entries (phrase, label_zh, label_en, is_active, created_at, updated_at) VALUES
    (N'员工 + 情绪识别', N'人脸识别用于员工情绪监控', N'Emotion recognition used to monitor employees', 1, CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET), CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET)),
    (N'员工情绪监控', N'人脸识别用于员工情绪监控', N'Emotion recognition used to monitor employees', 1, CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET), CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET)),
    (N'emotion recognition + employee', N'人脸识别用于员工情绪监控', N'Emotion recognition used to monitor employees', 1, CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET), CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET)),
    (N'emotion recognition + worker', N'人脸识别用于员工情绪监控', N'Emotion recognition used to monitor employees', 1, CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET), CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET)),
    (N'社会信用评分', N'社会评分（对个人进行综合信用打分）', N'Social scoring of individuals', 1, CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET), CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET)),
    (N'社会评分', N'社会评分（对个人进行综合信用打分）', N'Social scoring of individuals', 1, CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET), CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET)),
    (N'social scoring', N'社会评分（对个人进行综合信用打分）', N'Social scoring of individuals', 1, CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET), CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET)),
    (N'深度伪造', N'深度伪造（冒用他人声音或肖像）', N'Deepfakes impersonating real people', 1, CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET), CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET)),
    (N'deepfake', N'深度伪造（冒用他人声音或肖像）', N'Deepfakes impersonating real people', 1, CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET), CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET)),
    (N'换脸', N'深度伪造（冒用他人声音或肖像）', N'Deepfakes impersonating real people', 1, CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET), CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET)),
    (N'自主武器', N'致命性自主武器系统', N'Lethal autonomous weapons', 1, CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET), CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET)),
    (N'autonomous weapon', N'致命性自主武器系统', N'Lethal autonomous weapons', 1, CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET), CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET)),
    (N'隐蔽 + 生物识别', N'隐蔽的生物特征监控', N'Covert biometric surveillance', 1, CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET), CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET)),
    (N'秘密采集 + 人脸', N'隐蔽的生物特征监控', N'Covert biometric surveillance', 1, CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET), CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET)),
    (N'covert + biometric', N'隐蔽的生物特征监控', N'Covert biometric surveillance', 1, CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET), CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET)),
    (N'人脸识别 + 未经同意', N'未经同意的人脸识别', N'Facial recognition without consent', 1, CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET), CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET)),
    (N'facial recognition + without consent', N'未经同意的人脸识别', N'Facial recognition without consent', 1, CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET), CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET)),
    (N'预测性警务', N'预测性警务（对个人犯罪风险画像）', N'Predictive policing of individuals', 1, CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET), CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET)),
    (N'predictive policing', N'预测性警务（对个人犯罪风险画像）', N'Predictive policing of individuals', 1, CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET), CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET)),
    (N'潜意识操纵', N'利用潜意识技术操纵行为', N'Subliminal manipulation of behaviour', 1, CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET), CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET)),
    (N'subliminal', N'利用潜意识技术操纵行为', N'Subliminal manipulation of behaviour', 1, CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET), CAST('2026-01-01T00:00:00+00:00' AS DATETIMEOFFSET));
