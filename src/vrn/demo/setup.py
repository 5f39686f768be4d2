"""Building the demo: reference data, 18 months of police.uk data, the three intervention
programmes, the synthetic person-level world built on them, a sign-in per role."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from vrn.accounts.models import Organisation, User
from vrn.accounts.roles import Role, assign_role
from vrn.crime.police_uk import PoliceUkStreet
from vrn.definitions import Definitions, load_definitions
from vrn.geography.models import ReferenceLoad
from vrn.ingest import registry, withdrawal
from vrn.ingest.pipeline import FileResult, LoadContext, load_files
from vrn.ingest.queries import current_synthetic_loads
from vrn.interventions.models import Programme
from vrn.interventions.programmes import read_programmes_file, upsert_programmes
from vrn.synth import (
    TRUTH,
    Manifest,
    Skeleton,
    Synthesis,
    World,
    check_manifest,
    inputs_fingerprint,
    write_manifest,
    write_world,
)
from vrn.synth.records import record_world
from vrn.synth.sources import skeleton_from_database, world_from_database

#: The seed of the demo's synthetic world: fixed, so every demo has the same world.
SYNTHETIC_SEED = 1
SYNTHETIC_MODE = "augmented"
#: The ``vrn ingest`` format of each partner data file a world may hold, in load order
#: (crimes before their people).
SYNTHETIC_FORMATS = {
    "police-crimes.csv": "police-extract",
    "police-people.csv": "police-extract",
    "istv.csv": "istv",
    "admissions.csv": "admissions",
    "indicators.csv": "indicators",
}
#: The same for the intervention files, loaded after the partner files once the programmes
#: and providers they name exist (participants before their journeys). The demo loads the
#: files its world wrote with rows whose format is registered.
INTERVENTION_FORMATS = {
    "intervention-participants.csv": "intervention-participants",
    "intervention-assessments.csv": "intervention-assessments",
    "intervention-contacts.csv": "intervention-contacts",
    "intervention-reviews.csv": "intervention-reviews",
    "intervention-outcomes.csv": "intervention-outcomes",
}
_WORLD_FORMATS = {**SYNTHETIC_FORMATS, **INTERVENTION_FORMATS}
#: The demo's programmes and their providers (``upsert_programmes`` entries).
PROGRAMMES_FILE = Path(__file__).resolve().parent / "data" / "programmes.toml"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: Role
    organisation: str


#: One sign-in per role, and a second caseworker of another provider. The passwords are
#: public: the demo refuses to run in production. The caseworkers' organisations are the
#: providers of :data:`PROGRAMMES_FILE`.
DEMO_ACCOUNTS = [
    DemoAccount("admin", "demo-admin", Role.ADMINISTRATOR, "Violence Reduction Network"),
    DemoAccount("analyst", "demo-analyst", Role.ANALYST, "Violence Reduction Network"),
    DemoAccount("manager", "demo-manager", Role.PROGRAMME_MANAGER, "Violence Reduction Network"),
    DemoAccount("board", "demo-board", Role.BOARD_MEMBER, "Community Safety Partnership"),
    DemoAccount("caseworker", "demo-caseworker", Role.PROVIDER_CASEWORKER, "Turning Point"),
    DemoAccount(
        "caseworker-cares",
        "demo-caseworker-cares",
        Role.PROVIDER_CASEWORKER,
        "Leicestershire Cares",
    ),
    DemoAccount("public", "demo-public", Role.PUBLIC, "Community panel"),
]

_ORGANISATION_KINDS = {
    "Violence Reduction Network": Organisation.Kind.NETWORK,
    "Community Safety Partnership": Organisation.Kind.LOCAL_AUTHORITY,
    "Community panel": Organisation.Kind.COMMUNITY,
}


def create_demo_programmes() -> list[Programme]:
    """Create (or update) the demo's programmes and their provider organisations from
    :data:`PROGRAMMES_FILE`; idempotent."""
    return upsert_programmes(read_programmes_file(PROGRAMMES_FILE))


def police_files(reference_dir: Path) -> list[Path]:
    """Every street-level file under ``police-uk-street/``, in name (month) order."""
    return sorted((reference_dir / "police-uk-street").glob("*/*-street.csv"))


def reference_loaded() -> bool:
    return ReferenceLoad.objects.exists()


#: ``FileLoad.loaded_by`` of the demo's loads.
DEMO_LOADER = "vrn demo"


def _context() -> LoadContext:
    return LoadContext(loaded_by=DEMO_LOADER, today=timezone.localdate())


def load_police_data(
    reference_dir: Path, on_file_done: Callable[[FileResult], None] | None = None
) -> list[FileResult]:
    return load_files(PoliceUkStreet(), police_files(reference_dir), _context(), on_file_done)


def synthetic_directory(seed: int = SYNTHETIC_SEED) -> Path:
    """Where the demo writes its synthetic world: ``VRN_DATA_DIR/synthetic/seed-N/``."""
    return settings.DATA_DIR / "synthetic" / f"seed-{seed}"


@dataclass(frozen=True)
class SyntheticPlan:
    """What the demo will do about its synthetic world: reuse the files in ``directory``
    (``manifest`` is set) or write them, and why (``reason``)."""

    directory: Path
    seed: int
    fingerprint: str
    manifest: Manifest | None
    reason: str
    definitions: Definitions
    world: World
    skeleton: Skeleton

    @property
    def crimes(self) -> int:
        return len(self.skeleton)


def plan_synthetic_world(directory: Path, seed: int = SYNTHETIC_SEED) -> SyntheticPlan:
    """Read the generator's inputs from the database (the network's geography and every
    loaded police.uk crime as the skeleton) and decide whether ``directory`` already holds
    the world they give: the same fingerprint of the inputs in its ``manifest.json`` (seed,
    skeleton, geography, definitions, parameters, generator code, numpy and pandas) and
    every file with the sha256 recorded there. ValueError when an input is missing."""
    definitions = load_definitions(settings.VRN_DEFINITIONS_DIR)
    world = world_from_database(definitions)
    skeleton = skeleton_from_database()
    fingerprint = inputs_fingerprint(
        world=world, definitions=definitions, seed=seed, mode=SYNTHETIC_MODE, skeleton=skeleton
    )
    manifest, reason = check_manifest(directory, fingerprint)
    return SyntheticPlan(
        directory, seed, fingerprint, manifest, reason, definitions, world, skeleton
    )


def write_synthetic_world(
    plan: SyntheticPlan, on_block: Callable[[int], None] | None = None
) -> tuple[Manifest, list[str]]:
    """Write the planned world unless the folder already holds it, and record it in the
    database (so pages can name its seed and truth file). Returns the manifest and the
    generator's notes (targets it could not reach)."""
    manifest, notes = plan.manifest, []
    if manifest is None:
        synthesis = Synthesis(
            world=plan.world,
            definitions=plan.definitions,
            seed=plan.seed,
            mode=SYNTHETIC_MODE,
            skeleton=plan.skeleton,
        )
        written = write_world(
            synthesis, plan.directory, command=_command(plan.seed), on_block=on_block
        )
        manifest = write_manifest(synthesis, written, plan.fingerprint)
        notes = list(synthesis.model.notes)
    record_world(plan.directory, manifest, _command(plan.seed))
    return manifest, notes


def _command(seed: int) -> str:
    """The ``vrn synth`` command that writes the same world (recorded in its README.txt)."""
    return f"vrn synth --mode {SYNTHETIC_MODE} --seed {seed} --out DIR"


def synthetic_files(manifest: Manifest) -> list[str]:
    """The data files of a world the demo loads, in load order: those with rows whose
    format is registered (a small world may have no participants, and a file with no rows
    is refused). ValueError for a file the demo knows no format for."""
    unknown = sorted(set(manifest.rows) - set(_WORLD_FORMATS))
    if unknown:
        raise ValueError(f"no vrn ingest format is known for {', '.join(unknown)}")
    registered = set(registry.format_names())
    return [
        name
        for name, format_name in _WORLD_FORMATS.items()
        if manifest.rows.get(name, 0) > 0 and format_name in registered
    ]


@dataclass(frozen=True)
class SyntheticLoad:
    """What loading a world did: the result of each file, and the demo's loads of another
    (earlier) world that were withdrawn first."""

    results: list[FileResult]
    withdrawn: list[str]
    withdrawn_rows: int


def load_synthetic_world(
    directory: Path,
    manifest: Manifest,
    on_file_done: Callable[[FileResult], None] | None = None,
) -> SyntheticLoad:
    """Load the world's data files through the normal pipeline, one format at a time in the
    order of :data:`SYNTHETIC_FORMATS` then :data:`INTERVENTION_FORMATS` (files loaded
    before are ``unchanged``; their person keys are given, so no pseudonym key is needed).

    A world is replaced whole, not partition by partition: the demo's current synthetic
    loads whose file is not one of this world's are withdrawn first (an earlier world's
    months, sites and record identifiers need not match this one's), like any withdrawal
    (recorded in the audit trail). Synthetic files loaded by anyone else stay. The
    programmes and providers the intervention files name are created first."""
    names = synthetic_files(manifest)
    stale = list(
        current_synthetic_loads()
        .filter(loaded_by=DEMO_LOADER)
        .exclude(sha256__in=list(manifest.files.values()))
        .order_by("pk")
    )
    withdrawn_rows = withdrawal.withdraw([load.pk for load in stale], actor=DEMO_LOADER).rows
    if set(names) & set(INTERVENTION_FORMATS):
        create_demo_programmes()
    results: list[FileResult] = []
    for format_name in dict.fromkeys(_WORLD_FORMATS.values()):
        paths = [
            directory / name
            for name, format_of in _WORLD_FORMATS.items()
            if format_of == format_name and name in names
        ]
        if paths:
            dataset = registry.dataset_for(format_name)
            results += load_files(dataset, paths, _context(), on_file_done)
    return SyntheticLoad(
        results=results,
        withdrawn=[f"load {load.pk} ({load.file_name})" for load in stale],
        withdrawn_rows=withdrawn_rows,
    )


def truth_file(directory: Path) -> Path:
    return directory / TRUTH


@transaction.atomic
def create_demo_accounts() -> list[DemoAccount]:
    """Create (or reset) one user per role, and a second caseworker. The administrator is
    also staff (to reach the admin pages its role allows) and, like every demo user, not a
    superuser: a role gets exactly its permissions. The caseworkers belong to programme
    providers (Turning Point, Leicestershire Cares), created here if need be."""
    create_demo_programmes()
    for account in DEMO_ACCOUNTS:
        organisation, _ = Organisation.objects.get_or_create(
            name=account.organisation,
            defaults={
                "kind": _ORGANISATION_KINDS.get(account.organisation, Organisation.Kind.PROVIDER)
            },
        )
        user, _ = User.objects.get_or_create(username=account.username)
        user.organisation = organisation
        user.set_password(account.password)
        user.is_staff = account.role == Role.ADMINISTRATOR
        user.is_superuser = False
        user.user_permissions.clear()
        user.save()
        user.groups.clear()
        assign_role(user, account.role)
    return DEMO_ACCOUNTS
