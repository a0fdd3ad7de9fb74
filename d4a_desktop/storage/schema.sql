CREATE TABLE "activity_state" (
	id VARCHAR(36) NOT NULL,
	created_at DATETIME NOT NULL,
	modified_at DATETIME NOT NULL,
	author VARCHAR(200) NOT NULL,
	project_id VARCHAR(36) NOT NULL,
	activity_id VARCHAR(40) NOT NULL,
	status VARCHAR(20) NOT NULL,
	na_reason TEXT NOT NULL,
	planned_start DATE,
	planned_end DATE,
	CONSTRAINT fk_activity_state_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE,
	CONSTRAINT pk_activity_state PRIMARY KEY (id),
	CONSTRAINT uq_activity_state_activity_id UNIQUE (activity_id)
);
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL,
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
CREATE TABLE answer (
	id VARCHAR(36) NOT NULL,
	created_at DATETIME NOT NULL,
	modified_at DATETIME NOT NULL,
	author VARCHAR(200) NOT NULL,
	deleted BOOLEAN DEFAULT 0 NOT NULL,
	assessment TEXT DEFAULT '' NOT NULL,
	path TEXT DEFAULT '' NOT NULL,
	value TEXT,
	CONSTRAINT pk_answer PRIMARY KEY (id)
);
CREATE TABLE assessment (
	id VARCHAR(36) NOT NULL,
	created_at DATETIME NOT NULL,
	modified_at DATETIME NOT NULL,
	author VARCHAR(200) NOT NULL,
	deleted BOOLEAN DEFAULT 0 NOT NULL,
	tool TEXT DEFAULT '' NOT NULL,
	status TEXT DEFAULT '' NOT NULL,
	next_review DATE,
	notes TEXT DEFAULT '' NOT NULL,
	CONSTRAINT pk_assessment PRIMARY KEY (id)
);
CREATE TABLE assessment_version (
	id VARCHAR(36) NOT NULL,
	created_at DATETIME NOT NULL,
	modified_at DATETIME NOT NULL,
	author VARCHAR(200) NOT NULL,
	deleted BOOLEAN DEFAULT 0 NOT NULL,
	assessment TEXT DEFAULT '' NOT NULL,
	number INTEGER,
	saved_on DATE,
	status TEXT DEFAULT '' NOT NULL,
	answers TEXT,
	note TEXT DEFAULT '' NOT NULL,
	CONSTRAINT pk_assessment_version PRIMARY KEY (id)
);
CREATE TABLE change_log (
	id VARCHAR(36) NOT NULL,
	edit VARCHAR(36) NOT NULL,
	kind VARCHAR(40) NOT NULL,
	record_id VARCHAR(36) NOT NULL,
	"key" VARCHAR(80) NOT NULL,
	op VARCHAR(10) NOT NULL,
	field VARCHAR(80) NOT NULL,
	old TEXT,
	new TEXT,
	at DATETIME NOT NULL,
	author VARCHAR(200) NOT NULL,
	installation VARCHAR(36) NOT NULL,
	CONSTRAINT pk_change_log PRIMARY KEY (id)
);
CREATE TABLE comment (
	id VARCHAR(36) NOT NULL,
	created_at DATETIME NOT NULL,
	modified_at DATETIME NOT NULL,
	author VARCHAR(200) NOT NULL,
	deleted BOOLEAN DEFAULT 0 NOT NULL,
	about_kind TEXT DEFAULT '' NOT NULL,
	about TEXT DEFAULT '' NOT NULL,
	text TEXT DEFAULT '' NOT NULL,
	written_by TEXT DEFAULT '' NOT NULL,
	resolved BOOLEAN,
	CONSTRAINT pk_comment PRIMARY KEY (id)
);
CREATE TABLE dataset (
	id VARCHAR(36) NOT NULL,
	created_at DATETIME NOT NULL,
	modified_at DATETIME NOT NULL,
	author VARCHAR(200) NOT NULL,
	deleted BOOLEAN DEFAULT 0 NOT NULL,
	title TEXT DEFAULT '' NOT NULL,
	description TEXT DEFAULT '' NOT NULL,
	publisher TEXT DEFAULT '' NOT NULL,
	contact_point TEXT DEFAULT '' NOT NULL,
	keywords TEXT DEFAULT '' NOT NULL,
	themes TEXT DEFAULT '[]' NOT NULL,
	spatial_coverage TEXT DEFAULT '' NOT NULL,
	temporal_start DATE,
	temporal_end DATE,
	update_frequency TEXT DEFAULT '' NOT NULL,
	source TEXT DEFAULT '' NOT NULL,
	access_url TEXT DEFAULT '' NOT NULL,
	format TEXT DEFAULT '' NOT NULL,
	licence TEXT DEFAULT '' NOT NULL,
	licence_name TEXT DEFAULT '' NOT NULL,
	access_rights TEXT DEFAULT '' NOT NULL,
	quality TEXT DEFAULT '' NOT NULL,
	owner_department TEXT DEFAULT '' NOT NULL,
	owner_person TEXT DEFAULT '' NOT NULL,
	etl_process TEXT DEFAULT '' NOT NULL,
	projects TEXT DEFAULT '' NOT NULL,
	personal_data BOOLEAN,
	personal_data_kinds TEXT DEFAULT '[]' NOT NULL,
	legal_basis TEXT DEFAULT '' NOT NULL,
	publication_status TEXT DEFAULT '' NOT NULL,
	status_checked DATE,
	activities TEXT DEFAULT '[]' NOT NULL,
	notes TEXT DEFAULT '' NOT NULL,
	CONSTRAINT pk_dataset PRIMARY KEY (id)
);
CREATE TABLE decision (
	id VARCHAR(36) NOT NULL,
	created_at DATETIME NOT NULL,
	modified_at DATETIME NOT NULL,
	author VARCHAR(200) NOT NULL,
	deleted BOOLEAN DEFAULT 0 NOT NULL,
	question TEXT DEFAULT '' NOT NULL,
	options TEXT DEFAULT '' NOT NULL,
	choice TEXT DEFAULT '' NOT NULL,
	rationale TEXT DEFAULT '' NOT NULL,
	date DATE,
	decided_by TEXT DEFAULT '' NOT NULL,
	activity TEXT DEFAULT '' NOT NULL,
	CONSTRAINT pk_decision PRIMARY KEY (id)
);
CREATE TABLE "item_state" (
	id VARCHAR(36) NOT NULL,
	created_at DATETIME NOT NULL,
	modified_at DATETIME NOT NULL,
	author VARCHAR(200) NOT NULL,
	project_id VARCHAR(36) NOT NULL,
	item_id VARCHAR(40) NOT NULL,
	done BOOLEAN NOT NULL,
	owner VARCHAR(200) NOT NULL,
	due_date DATE,
	note TEXT NOT NULL,
	CONSTRAINT fk_item_state_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE,
	CONSTRAINT pk_item_state PRIMARY KEY (id),
	CONSTRAINT uq_item_state_item_id UNIQUE (item_id)
);
CREATE TABLE kpi (
	id VARCHAR(36) NOT NULL,
	created_at DATETIME NOT NULL,
	modified_at DATETIME NOT NULL,
	author VARCHAR(200) NOT NULL,
	deleted BOOLEAN DEFAULT 0 NOT NULL,
	name TEXT DEFAULT '' NOT NULL,
	code TEXT DEFAULT '' NOT NULL,
	unit TEXT DEFAULT '' NOT NULL,
	baseline FLOAT,
	baseline_date DATE,
	target FLOAT,
	target_date DATE,
	direction TEXT DEFAULT '' NOT NULL,
	frequency TEXT DEFAULT '' NOT NULL,
	source_dataset TEXT DEFAULT '' NOT NULL,
	owner TEXT DEFAULT '' NOT NULL,
	notes TEXT DEFAULT '' NOT NULL,
	CONSTRAINT pk_kpi PRIMARY KEY (id)
);
CREATE TABLE measurement (
	id VARCHAR(36) NOT NULL,
	created_at DATETIME NOT NULL,
	modified_at DATETIME NOT NULL,
	author VARCHAR(200) NOT NULL,
	deleted BOOLEAN DEFAULT 0 NOT NULL,
	kpi TEXT DEFAULT '' NOT NULL,
	date DATE,
	value FLOAT,
	note TEXT DEFAULT '' NOT NULL,
	CONSTRAINT pk_measurement PRIMARY KEY (id)
);
CREATE TABLE milestone (
	id VARCHAR(36) NOT NULL,
	created_at DATETIME NOT NULL,
	modified_at DATETIME NOT NULL,
	author VARCHAR(200) NOT NULL,
	deleted BOOLEAN DEFAULT 0 NOT NULL,
	name TEXT DEFAULT '' NOT NULL,
	date DATE,
	activities TEXT DEFAULT '[]' NOT NULL,
	done BOOLEAN,
	notes TEXT DEFAULT '' NOT NULL,
	CONSTRAINT pk_milestone PRIMARY KEY (id)
);
CREATE TABLE "project" (
	id VARCHAR(36) NOT NULL,
	created_at DATETIME NOT NULL,
	modified_at DATETIME NOT NULL,
	author VARCHAR(200) NOT NULL,
	title VARCHAR(300) NOT NULL,
	municipality VARCHAR(300) NOT NULL,
	country VARCHAR(2) NOT NULL,
	domain VARCHAR(300) NOT NULL,
	language VARCHAR(10) NOT NULL,
	tandem_partner VARCHAR(300) NOT NULL,
	roadmap_version VARCHAR(40) NOT NULL,
	derived_from TEXT DEFAULT '' NOT NULL,
	CONSTRAINT pk_project PRIMARY KEY (id)
);
CREATE TABLE "project_condition" (
	id VARCHAR(36) NOT NULL,
	created_at DATETIME NOT NULL,
	modified_at DATETIME NOT NULL,
	author VARCHAR(200) NOT NULL,
	project_id VARCHAR(36) NOT NULL,
	condition VARCHAR(40) NOT NULL,
	applies BOOLEAN,
	CONSTRAINT fk_project_condition_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE,
	CONSTRAINT pk_project_condition PRIMARY KEY (id),
	CONSTRAINT uq_project_condition_condition UNIQUE (condition)
);
CREATE TABLE responsibility (
	id VARCHAR(36) NOT NULL,
	created_at DATETIME NOT NULL,
	modified_at DATETIME NOT NULL,
	author VARCHAR(200) NOT NULL,
	deleted BOOLEAN DEFAULT 0 NOT NULL,
	activity TEXT DEFAULT '' NOT NULL,
	member TEXT DEFAULT '' NOT NULL,
	role TEXT DEFAULT '' NOT NULL,
	CONSTRAINT pk_responsibility PRIMARY KEY (id)
);
CREATE TABLE review (
	id VARCHAR(36) NOT NULL,
	created_at DATETIME NOT NULL,
	modified_at DATETIME NOT NULL,
	author VARCHAR(200) NOT NULL,
	deleted BOOLEAN DEFAULT 0 NOT NULL,
	activity TEXT DEFAULT '' NOT NULL,
	reviewed_by TEXT DEFAULT '' NOT NULL,
	date DATE,
	CONSTRAINT pk_review PRIMARY KEY (id)
);
CREATE TABLE risk (
	id VARCHAR(36) NOT NULL,
	created_at DATETIME NOT NULL,
	modified_at DATETIME NOT NULL,
	author VARCHAR(200) NOT NULL,
	deleted BOOLEAN DEFAULT 0 NOT NULL,
	description TEXT DEFAULT '' NOT NULL,
	category TEXT DEFAULT '' NOT NULL,
	likelihood INTEGER,
	impact INTEGER,
	owner TEXT DEFAULT '' NOT NULL,
	mitigation TEXT DEFAULT '' NOT NULL,
	status TEXT DEFAULT '' NOT NULL,
	review_date DATE,
	CONSTRAINT pk_risk PRIMARY KEY (id)
);
CREATE TABLE team_member (
	id VARCHAR(36) NOT NULL,
	created_at DATETIME NOT NULL,
	modified_at DATETIME NOT NULL,
	author VARCHAR(200) NOT NULL,
	deleted BOOLEAN DEFAULT 0 NOT NULL,
	name TEXT DEFAULT '' NOT NULL,
	organisation TEXT DEFAULT '' NOT NULL,
	role TEXT DEFAULT '' NOT NULL,
	contact TEXT DEFAULT '' NOT NULL,
	influence TEXT DEFAULT '' NOT NULL,
	interest TEXT DEFAULT '' NOT NULL,
	notes TEXT DEFAULT '' NOT NULL,
	CONSTRAINT pk_team_member PRIMARY KEY (id)
);
CREATE INDEX ix_change_log_kind_record_id ON change_log (kind, record_id);
