"""Excel import/export and exchange-package dialogs (数据 menu)."""
