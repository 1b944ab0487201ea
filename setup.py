"""Build step (the rest is in pyproject.toml): a wheel carries what the checkout keeps beside
the package, so that a plain `pip install` runs without the checkout.

- translations/<lang>/LC_MESSAGES/messages.po -> consult/translations/.../messages.mo (compiled
  with Babel; the .po files stay where the translation tools check them);
- migrations/ -> consult/migrations/ (Flask-Migrate's scripts, for `consult db-upgrade`).

The application reads consult/translations and consult/migrations when they are there (an
installed wheel) and translations/ and migrations/ beside the package otherwise (a checkout,
including an editable install, for which nothing is built).
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def compile_catalogs(source: Path, target: Path) -> list[Path]:
    """Every messages.po under source compiled to messages.mo under target (fuzzy left out)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(source.glob("*/LC_MESSAGES/messages.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parts[-3])
        mo = target / po.relative_to(source).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with mo.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written.append(mo)
    if not written:
        raise RuntimeError(f"no catalogs in {source}: the wheel would have no translations")
    return written


def copy_migrations(source: Path, target: Path) -> list[Path]:
    """The Alembic environment and every revision, without caches."""
    if not (source / "env.py").is_file():
        raise RuntimeError(f"no migrations in {source}")
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return [path for path in target.rglob("*") if path.is_file()]


class BuildWithCatalogs(build_py):
    """build_py, then the compiled catalogs and the migrations into the built package."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # the checkout's own translations/ and migrations/ are read
            return
        package = Path(self.build_lib) / "consult"
        self._built = compile_catalogs(ROOT / "translations", package / "translations")
        self._built += copy_migrations(ROOT / "migrations", package / "migrations")

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        return super().get_outputs(include_bytecode) + [str(p) for p in
                                                        getattr(self, "_built", [])]


setup(cmdclass={"build_py": BuildWithCatalogs})
