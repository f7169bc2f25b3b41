"""The register of Party organisations (组织台账): the tree, sector, kind, founding, class per year and
pairings (orgs), and each organisation's 支部委员会 and 党员花名册 (members)."""
