"""The engines a root can run under: one vocabulary for every layer.

`Engine` members are strings ("terraform", "opentofu"): they compare and
hash like the names, and format as the names, so JSON, SARIF, messages and
the config file see exactly the strings they always did.
"""

from __future__ import annotations

from enum import Enum
from typing import Optional


class Engine(str, Enum):
    TERRAFORM = "terraform"
    OPENTOFU = "opentofu"

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:  # an f-string shows the name (Python 3.11+ would show "Engine.OPENTOFU")
        return format(self.value, spec)

    @property
    def display_name(self) -> str:
        """"Terraform" or "OpenTofu", for messages and reports."""
        return "Terraform" if self is Engine.TERRAFORM else "OpenTofu"

    @property
    def other(self) -> Engine:
        return Engine.OPENTOFU if self is Engine.TERRAFORM else Engine.TERRAFORM

    @classmethod
    def named(cls, name: object) -> Optional[Engine]:
        """The engine called `name` ("terraform", "opentofu"), None for anything else."""
        if not isinstance(name, str):
            return None
        try:
            return cls(name)
        except ValueError:
            return None


# `--engine` and the config file's `engine:`, in the order help and messages list them.
ENGINE_CHOICES = ("auto", Engine.OPENTOFU.value, Engine.TERRAFORM.value)
