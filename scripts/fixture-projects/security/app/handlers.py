"""Request handlers with deliberate security problems for the scanners."""

import subprocess

import yaml


def archive(name):
    # Semgrep: subprocess-shell-true.
    return subprocess.run("tar czf /tmp/out.tgz " + name, shell=True, check=False)


def compute(expr):
    # Semgrep: eval-of-input.
    return eval(expr)


def load_config(text):
    # Semgrep: yaml-unsafe-load.
    return yaml.load(text)


def load_config_safely(text):
    return yaml.load(text, Loader=yaml.SafeLoader)


def debug(value):
    # Semgrep: print-left-in-code.
    print(value)


def legacy(expr):
    # A reviewed exception, silenced for Semgrep:
    return eval(expr)  # nosemgrep: eval-of-input
