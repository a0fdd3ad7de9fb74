"""ORM mapping of the project file (schema version 2).

Every record has a UUID key, created/modified times (UTC) and the author who last
changed it, so that two partners' copies of a project can be merged record by record.
Roadmap objects are referenced by their stable content ids (``c4.a1``, ``c4.a1.i3``),
never by position, so a newer roadmap version finds the answers again.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


class Base(DeclarativeBase):
    pass


class Record:
    """Columns shared by every table."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    modified_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    author: Mapped[str] = mapped_column(String(200), default="")


class ProjectRow(Record, Base):
    __tablename__ = "project"

    title: Mapped[str] = mapped_column(String(300))
    municipality: Mapped[str] = mapped_column(String(300))
    country: Mapped[str] = mapped_column(String(2))
    domain: Mapped[str] = mapped_column(String(300), default="")
    language: Mapped[str] = mapped_column(String(10), default="en")
    tandem_partner: Mapped[str] = mapped_column(String(300), default="")
    roadmap_version: Mapped[str] = mapped_column(String(40))


class ActivityStateRow(Record, Base):
    __tablename__ = "activity_state"

    project_id: Mapped[str] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    activity_id: Mapped[str] = mapped_column(String(40), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="not-started")
    na_reason: Mapped[str] = mapped_column(Text, default="")


class ConditionRow(Record, Base):
    __tablename__ = "project_condition"

    project_id: Mapped[str] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    condition: Mapped[str] = mapped_column(String(40), unique=True)
    applies: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class ItemStateRow(Record, Base):
    __tablename__ = "item_state"

    project_id: Mapped[str] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(40), unique=True)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
