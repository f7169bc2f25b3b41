"""The settings page: the 公文 issuer, 文号 prefix and mirrored margins are saved like the other settings."""

from __future__ import annotations

from app.services.kernel import settings


def test_settings_page_saves_the_document_settings(ctx, qtbot):
    from ui.pages.settings import Page

    page = Page(ctx)
    qtbot.addWidget(page)
    page.refresh()
    page.doc_issuer.setText("中共测试经开区工作委员会")
    page.doc_prefix.setText("测开党工")
    page.mirror.setChecked(True)
    assert page.has_unsaved_changes()
    page.save_documents()
    assert settings.get(ctx.ledger, "doc_prefix") == "测开党工" and settings.get(ctx.ledger, "mirror_margins") is True
    assert settings.get(ctx.ledger, "doc_issuer") == "中共测试经开区工作委员会" and not page.has_unsaved_changes()
