"""The applicant's answers, as form posts, for tests that drive the pages over HTTP."""

STEP1 = {
    "organisation_name": "Agência Regional de Energia",
    "organisation_type": "regional_authority",
    "organisation_country": "PT",
    "organisation_region": "PT11",
    "is_pact_member": "no",
}
STEP2 = {"contact_name": "Rui Costa", "contact_role": "Project lead", "contact_email": "rui.costa@example.pt"}


def step3(ecosystem_pk):
    return {
        "partnership_name": "Norte Energy Skills",
        "scope": "single_region",
        "regions": ["PT11"],
        "ecosystems": [ecosystem_pk],
        "challenge": "Installers for heat pumps are missing.",
        "objectives": "Train 1,000 installers.",
    }


def apply_until_review(browser, key, ecosystem_pk):
    """Fill steps 1–3 through the pages; returns the draft's secret link."""
    browser.get("/expression-of-interest/")
    status, url, _html = browser.post("/expression-of-interest/", {**STEP1, "idempotency_key": key})
    assert status == 200 and url.endswith("?step=2"), (status, url)
    link = url.split("?")[0]
    status, url, _html = browser.post(link + "?step=2", STEP2)
    assert url.endswith("?step=3"), url
    status, url, _html = browser.post(link + "?step=3", step3(ecosystem_pk))
    assert url.endswith("?step=4"), url
    return link
