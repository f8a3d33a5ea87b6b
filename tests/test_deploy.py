"""The deployment configuration: Netlify builds with our own make target and strict headers."""

from __future__ import annotations

import re
import tomllib

from conftest import ROOT


def test_netlify_builds_with_a_make_target_and_publishes_output():
    config = tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))
    command = config["build"]["command"]
    target = re.fullmatch(r"make (\S+)", command).group(1)
    assert re.search(rf"^{target}:", (ROOT / "Makefile").read_text(), re.M)
    assert config["build"]["publish"] == "output"
    for context in ("deploy-preview", "branch-deploy"):
        assert config["context"][context]["command"] == command


def test_netlify_headers_forbid_inline_and_remote_code():
    config = tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))
    headers = next(h["values"] for h in config["headers"] if h["for"] == "/*")
    csp = headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and "base-uri 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "max-age=31536000" in headers["Strict-Transport-Security"]


def test_pull_requests_check_documents_and_run_the_tests():
    import yaml

    workflow = yaml.safe_load((ROOT / ".github/workflows/test.yml").read_text(encoding="utf-8"))
    steps = [step.get("run", "") for step in workflow["jobs"]["test"]["steps"]]
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as True
    assert ".venv/bin/archive check --format github" in steps
    assert "make test" in steps
    hooks = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [hook] = hooks["repos"][0]["hooks"]
    assert hook["entry"] == ".venv/bin/archive check"
