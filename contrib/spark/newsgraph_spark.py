#!/usr/bin/env python3
"""Run `newsgraph build` as a Spark job: `newsgraph extract` on each partition of the corpus,
`newsgraph merge --partial` as a tree on the executors, and the final `newsgraph merge` on the
driver, which writes the export. The export is byte-identical to `newsgraph build INPUT...`
(report.json included). See docs/scale-out.md.

    spark-submit --files target/release/newsgraph contrib/spark/newsgraph_spark.py \\
        --partitions 64 --out graph hdfs:///news/2024/

    python contrib/spark/newsgraph_spark.py --master 'local[2]' \\
        --binary target/release/newsgraph --partitions 3 --out graph corpus/

Inputs, as for `newsgraph build`:

* a directory: every file under it (recursively) is one unit, read whole with Spark's
  `binaryFile` source and written, under its relative path, into a scratch directory on the
  executor, where `newsgraph extract` reads it. Ids, decoding, skip reasons and `report.json`
  paths are therefore newsgraph's own;
* a `.jsonl`/`.ndjson` file: split into lines (`SparkContext.textFile`), each partition's lines
  go to `newsgraph extract` as one JSONL file;
* any other file: one document, as `newsgraph build FILE` reads it.

Each partition's partial extraction is then rewritten to say what `newsgraph extract INPUT...`
would have said of the same records (the run named by the job's inputs, each record's place in
that run, and for JSONL lines and single files their path and line number as given), so that
the merge puts them in the order `build` does.

Exit codes, as newsgraph's: 0 success, 1 some inputs skipped or partly read (listed on stderr
and in report.json), 2 fatal error (a failing subprocess shows its stderr).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import astuple, dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Iterable, Iterator, Optional

from pyspark import Broadcast, SparkContext, SparkFiles
from pyspark.sql import Row, SparkSession

PARTIAL_FORMAT = "newsgraph-partial"
PARTIAL_VERSION = 1
FORMATS = ("graphml", "json", "gephi", "neo4j", "gexf", "html")
# The start of every record line of a partial file, as `newsgraph extract` writes it.
RECORD_PREFIX = re.compile(rb'\{"kind":"input","run":0,"at":\[(\d+),(\d+)\],"input":')
COPY_BUFFER = 1 << 20
OPEN_COST_BYTES = 64 * 1024
# What `run_newsgraph` raises, as a Python traceback inside a Java stack trace.
TASK_ERROR = re.compile(r"RuntimeError: (newsgraph .*?)(?:\n\tat |\n\n|$)", re.DOTALL)


class JobError(Exception):
    """A fatal error: the job stops with exit code 2."""


# ---- Units: what one partition reads -----------------------------------------------------------

# The key of every element sent to a partition: (partition, unit index in the run, line number).
# A unit is a file of an input directory, a single input file, or one JSONL input file (whose
# elements are its lines); its index is its place among the inputs `newsgraph build` lists.
Key = tuple[int, int, int]


@dataclass(frozen=True)
class FileUnit:
    """A file read whole: `rel` under input `input_no` (a directory), or the input itself."""

    index: int
    input_no: int
    rel: str
    single: bool
    partition: int


@dataclass(frozen=True)
class JsonlInput:
    """A JSONL file given as an input, read line by line."""

    index: int
    display: str
    lines: int
    records: int


@dataclass(frozen=True)
class Plan:
    """The job's inputs and units. Broadcast as plain tuples ([`Plan.plain`]): broadcast
    variables are unpickled on the executors, where the job's own classes do not exist."""

    inputs: list[str]
    files: dict[str, tuple]  # FileUnit fields, by the path Spark's binaryFile source gives
    jsonl: list[JsonlInput]

    def file(self, path: str) -> FileUnit:
        return FileUnit(*self.files[path])

    def plain(self) -> tuple:
        return self.inputs, self.files, [astuple(j) for j in self.jsonl]

    @staticmethod
    def from_plain(plain: tuple) -> Plan:
        inputs, files, jsonl = plain
        return Plan(inputs, files, [JsonlInput(*j) for j in jsonl])


@dataclass
class LocalUnit:
    """One input of the `newsgraph extract` command run on a partition, and how to rewrite its
    records into what `newsgraph extract <the job's inputs>` writes."""

    local_path: str  # the record `path` extract writes
    index: int  # the unit's input index in the job's run
    display: Optional[str] = None  # the record `path` build writes, when not `local_path`
    first_line: int = 1  # the global line number of local line 1 (JSONL)
    records_before: int = 0  # records of the JSONL input before this chunk


# ---- Rust's document-id rules, for the ids newsgraph derives from a path ----------------------


def sanitize_doc_id(doc_id: str) -> str:
    """`corpus::sanitize_doc_id`: trimmed, `;` and control characters replaced by `_`."""
    return "".join("_" if c == ";" or unicodedata.category(c) == "Cc" else c for c in doc_id.strip())


def doc_id_from_path(path: str) -> str:
    """`corpus::doc_id_from_relative` of a path as given (Rust `Path::components`, joined with
    `/`, the extension of the last one removed)."""
    parts = ["/"] if path.startswith("/") else []
    for i, part in enumerate(path.split("/")):
        if part == "" or (part == "." and i > 0):
            continue
        parts.append(part)
    if parts and parts[-1] not in ("/", ".", ".."):
        stem, dot, ext = parts[-1].rpartition(".")
        if dot and stem:
            parts[-1] = stem
    return sanitize_doc_id("/".join(parts))


def walk_key(rel: str) -> tuple[bytes, ...]:
    """The order in which newsgraph walks a directory (each level sorted by file name bytes)."""
    return tuple(part.encode("utf-8", "surrogateescape") for part in rel.split("/"))


def spark_skips(name: str) -> bool:
    """Whether Spark's file sources leave out a file or directory of this name."""
    excluded = (name.startswith("_") and "=" not in name) or name.startswith(".") or name.endswith("._COPYING_")
    return excluded and not name.startswith(("_common_metadata", "_metadata"))


# ---- Driver: planning ---------------------------------------------------------------------------


def hadoop_fs(sc: SparkContext, path: str):  # type: ignore[no-untyped-def]
    """(FileSystem, qualified Path) of `path`, through the JVM."""
    jpath = sc._jvm.org.apache.hadoop.fs.Path(path)  # type: ignore[union-attr]
    fs = jpath.getFileSystem(sc._jsc.hadoopConfiguration())  # type: ignore[union-attr]
    return fs, fs.makeQualified(jpath)


def is_jsonl(path: str) -> bool:
    return PurePosixPath(path.rstrip("/")).suffix in (".jsonl", ".ndjson")


def empty_files_spark_leaves_out(sc: SparkContext, inp: str, found: int) -> list[str]:
    """The empty files of directory `inp` (Spark's file sources give no row for a file without
    bytes, newsgraph reports it as skipped). Fails when the directory holds files that
    newsgraph reads but Spark's file sources leave out: names starting with `_`. Walks the
    directory only when Spark found fewer files than it holds."""
    fs, qroot = hadoop_fs(sc, inp)
    if fs.getContentSummary(qroot).getFileCount() == found:
        return []
    prefix = qroot.toString().rstrip("/") + "/"
    empty, missed = [], []
    files = fs.listFiles(qroot, True)
    while files.hasNext():
        status = files.next()
        path = status.getPath().toString()
        parts = path[len(prefix) :].split("/")
        if any(p.startswith(".") for p in parts):
            continue
        if any(spark_skips(p) for p in parts):
            missed.append(path[len(prefix) :])
        elif status.getLen() == 0:
            empty.append(path)
    if missed:
        shown = ", ".join(missed[:5]) + (f" and {len(missed) - 5} more" if len(missed) > 5 else "")
        raise JobError(
            f"{inp}: {len(missed)} file(s) that newsgraph reads but Spark's file sources leave out "
            f"(a name starting with '_'): {shown}. Rename them, or give them as inputs of their own."
        )
    return empty


def is_blank(line: bytes) -> bool:
    """A line newsgraph ignores in JSONL (only ASCII whitespace)."""
    return not line.strip(b" \t\n\x0c\r")


def count_lines(sc: SparkContext, uri: str, partitions: int):  # type: ignore[no-untyped-def]
    """The lines of a JSONL input as (line number, records before it, bytes), with the file's
    totals. Lines end at LF only, as newsgraph reads them."""
    lines = sc.textFile(uri, partitions, use_unicode=False)

    def count(it: Iterable[bytes]) -> Iterator[tuple[int, int]]:
        n = records = 0
        for line in it:
            n += 1
            records += not is_blank(line)
        yield n, records

    counts = lines.mapPartitions(count).collect()
    starts = [0]
    record_starts = [0]
    for n, records in counts:
        starts.append(starts[-1] + n)
        record_starts.append(record_starts[-1] + records)

    def number(split: int, it: Iterable[bytes]) -> Iterator[tuple[int, int, bytes]]:
        line_no, before = starts[split], record_starts[split]
        for line in it:
            line_no += 1
            yield line_no, before, line
            before += not is_blank(line)

    return lines.mapPartitionsWithIndex(number), starts[-1], record_starts[-1]


def plan_inputs(spark: SparkSession, inputs: list[str], partitions: int):  # type: ignore[no-untyped-def]
    """Lists the inputs in the order `newsgraph build` reads them and assigns every unit to a
    partition. Returns the plan (broadcast) and the RDD of (key, element) to extract."""
    sc = spark.sparkContext
    # Spark's default cost of opening a file (4 MB, meant for large columnar files) makes one
    # task per 30 news articles; count 64 KB instead, unless the user set it.
    if not sc.getConf().contains("spark.sql.files.openCostInBytes"):
        spark.conf.set("spark.sql.files.openCostInBytes", str(OPEN_COST_BYTES))
    # Lines end at LF only, as newsgraph reads JSONL (a CR before it is newsgraph's to drop).
    sc._jsc.hadoopConfiguration().set("textinputformat.record.delimiter", "\n")  # type: ignore[union-attr]
    listed: list[tuple[str, int, int, str, bool, int]] = []  # (path, index, input, rel, single, bytes)
    jsonl: list[tuple[JsonlInput, object]] = []
    sources: list[tuple[str, bool]] = []  # (path, is a directory) to read with binaryFile
    empty_files: list[str] = []  # in directories, without a row from binaryFile
    for input_no, inp in enumerate(inputs):
        if inp == "-":
            raise JobError("- (standard input) is not an input of a Spark job; give a JSONL file")
        fs, qpath = hadoop_fs(sc, inp)
        if not fs.exists(qpath):
            raise JobError(f"input {inp} does not exist")
        path = qpath.toString()
        if fs.getFileStatus(qpath).isDirectory():
            root = path.rstrip("/") + "/"
            rows = (
                spark.read.format("binaryFile")
                .option("recursiveFileLookup", "true")
                .load(path)
                .select("path", "length")
                .collect()
            )
            found = [(row.path, row.length) for row in rows]
            empty = empty_files_spark_leaves_out(sc, inp, len(found))
            empty_files += empty
            found += [(file_path, 0) for file_path in empty]
            entries = sorted(((p[len(root) :], p, n) for p, n in found), key=lambda e: walk_key(e[0]))
            for rel, file_path, length in entries:
                listed.append((file_path, len(listed) + len(jsonl), input_no, rel, False, length))
            sources.append((path, True))
        elif is_jsonl(inp):
            numbered, lines, records = count_lines(sc, path, partitions)
            jsonl.append((JsonlInput(len(listed) + len(jsonl), inp, lines, records), numbered))
        else:
            name = PurePosixPath(path).name
            listed.append((path, len(listed) + len(jsonl), input_no, name, True, fs.getFileStatus(qpath).getLen()))
            sources.append((path, False))

    # Files: contiguous runs of about the same number of bytes per partition.
    total = sum(entry[5] for entry in listed) or 1
    files: dict[str, tuple] = {}
    done = 0
    for path, index, input_no, rel, single, length in listed:
        files[path] = astuple(FileUnit(index, input_no, rel, single, min(partitions - 1, done * partitions // total)))
        done += length
    plan = Plan(inputs, files, [j for j, _ in jsonl])
    shared = sc.broadcast(plan.plain())

    def file_element(row) -> tuple[Key, tuple[str, bytes]]:  # type: ignore[no-untyped-def]
        unit = FileUnit(*shared.value[1][row.path])
        return (unit.partition, unit.index, 0), (row.path, bytes(row.content))

    pieces = []
    for path, is_dir in sources:
        source = spark.read.format("binaryFile").option("recursiveFileLookup", str(is_dir).lower())
        pieces.append(source.load(path).select("path", "content").rdd.map(file_element))
    if empty_files:
        pieces.append(sc.parallelize([Row(path=p, content=b"") for p in empty_files], 1).map(file_element))
    for j, numbered in jsonl:
        # Lines: contiguous runs of about the same number of lines per partition; a JSONL input
        # without records goes to partition 0 whole, where extract reports it as empty.
        def line_element(item: tuple[int, int, bytes], j: JsonlInput = j) -> tuple[Key, tuple[int, bytes]]:
            line_no, before, line = item
            part = (line_no - 1) * partitions // j.lines if j.records else 0
            return (part, j.index, line_no), (before, line)

        pieces.append(numbered.map(line_element))  # type: ignore[attr-defined]
        if j.lines == 0:
            pieces.append(sc.parallelize([((0, j.index, 0), (0, b""))], 1))
    elements = sc.union(pieces) if pieces else sc.emptyRDD()
    return plan, shared, elements


# ---- Executors: extract and merge ---------------------------------------------------------------


def binary_path(name: str) -> str:
    path = SparkFiles.get(name)
    if not os.access(path, os.X_OK):
        os.chmod(path, 0o755)
    return path


def run_newsgraph(args: list[str], stdout: IO[bytes], what: str, cwd: Optional[str] = None) -> int:
    """Runs newsgraph, its stdout into `stdout`; exit codes 0 and 1 (some inputs skipped) are
    success, anything else raises with newsgraph's stderr."""
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=err, cwd=cwd)
        assert proc.stdout is not None
        shutil.copyfileobj(proc.stdout, stdout, COPY_BUFFER)
        code = proc.wait()
        if code not in (0, 1):
            err.seek(0)
            message = err.read().decode("utf-8", "replace").strip()
            raise RuntimeError(f"{what} failed (exit {code}): {' '.join(args)}\n{message}")
    return code


class PartialRewriter:
    """Rewrites the partial file of one `newsgraph extract` run over a partition into the lines
    `newsgraph extract <the job's inputs>` writes for the same records."""

    def __init__(self, inputs: list[str], units: list[LocalUnit]) -> None:
        self.inputs = inputs
        self.units = units
        self.decoder = json.JSONDecoder()
        self.header_seen = False

    def line(self, line: bytes) -> bytes:
        if not self.header_seen:
            header = json.loads(line)
            if header.get("format") != PARTIAL_FORMAT or header.get("version") != PARTIAL_VERSION:
                raise RuntimeError(
                    f"newsgraph wrote partial format {header.get('format')!r} version "
                    f"{header.get('version')}; this job reads {PARTIAL_FORMAT!r} version {PARTIAL_VERSION}"
                )
            header["runs"] = [{"input": self.inputs}]
            self.header_seen = True
            return compact(header)
        m = RECORD_PREFIX.match(line)
        if m is None:
            raise RuntimeError(f"unexpected line in newsgraph's partial output: {line[:120]!r}")
        local, k = int(m.group(1)), int(m.group(2))
        unit = self.units[local]
        text = line.decode("utf-8")
        record, end = self.decoder.raw_decode(text, m.end())  # the prefix is ASCII
        if record["path"] != unit.local_path:
            raise RuntimeError(f"record {local} is {record['path']!r}, expected {unit.local_path!r}")
        if unit.display is not None:
            local_line = record.get("line")
            if local_line is not None:
                record["line"] = local_line + unit.first_line - 1
                if record["doc"] == sanitize_doc_id(f"{unit.local_path}#{local_line}"):
                    record["doc"] = sanitize_doc_id(f"{unit.display}#{record['line']}")
            elif record["doc"] == doc_id_from_path(unit.local_path):
                record["doc"] = doc_id_from_path(unit.display)
            record["path"] = unit.display
        at = f'{{"kind":"input","run":0,"at":[{unit.index},{k + unit.records_before}],"input":'
        return at.encode() + compact(record).rstrip(b"\n") + text[end:].encode("utf-8")


def compact(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def safe_rel(rel: str) -> str:
    parts = rel.split("/")
    if rel.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise RuntimeError(f"unexpected file path under an input directory: {rel!r}")
    return rel


def write_units(scratch: Path, elements: Iterator[tuple[Key, tuple]], plan: Plan) -> tuple[list[str], list[LocalUnit]]:
    """Writes a partition's elements (sorted by key) into `scratch`; returns the arguments of
    the `newsgraph extract` that reads them and the units in the order it lists them."""
    args: list[str] = []
    units: list[LocalUnit] = []
    jsonl_by_index = {j.index: j for j in plan.jsonl}
    dir_args: dict[int, str] = {}
    dir_units: dict[int, list[tuple[str, int]]] = {}
    chunk: Optional[IO[bytes]] = None
    with_records: set[int] = set()  # JSONL inputs whose chunk has a line that is not blank
    for (_, index, line_no), value in elements:
        if index in jsonl_by_index:
            j = jsonl_by_index[index]
            before, line = value
            if chunk is None or units[-1].index != index:
                if chunk is not None:
                    chunk.close()
                name = f"chunks/{index}.jsonl"
                (scratch / "chunks").mkdir(exist_ok=True)
                chunk = open(scratch / name, "wb")
                args.append(name)
                units.append(LocalUnit(name, index, j.display, max(line_no, 1), before))
            chunk.write(line + b"\n")
            if not is_blank(line):
                with_records.add(index)
            continue
        path, content = value
        unit = plan.file(path)
        if unit.single:
            name = f"single/{index}/{unit.rel}"
            args.append(name)
            units.append(LocalUnit(name, index, plan.inputs[unit.input_no]))
        else:
            name = f"dirs/{unit.input_no}/{safe_rel(unit.rel)}"
            if unit.input_no not in dir_args:
                dir_args[unit.input_no] = f"dirs/{unit.input_no}"
                dir_units[unit.input_no] = []
                args.append(dir_args[unit.input_no])
                units.append(LocalUnit(dir_args[unit.input_no], -1))  # replaced below
            dir_units[unit.input_no].append((unit.rel, index))
        target = scratch / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    if chunk is not None:
        chunk.close()
    # A directory argument stands for its files, in the order newsgraph walks them. A JSONL
    # chunk of blank lines only is left out (extract would report it as an empty input),
    # unless the whole input has no record, which `build` reports once.
    kept_args: list[str] = []
    listed: list[LocalUnit] = []
    for arg, unit in zip(args, units):
        if arg.startswith("dirs/"):
            files = sorted(dir_units[int(arg.split("/")[1])], key=lambda f: walk_key(f[0]))
            listed.extend(LocalUnit(rel, index) for rel, index in files)
        elif unit.index in jsonl_by_index and jsonl_by_index[unit.index].records and unit.index not in with_records:
            continue
        else:
            listed.append(unit)
        kept_args.append(arg)
    return kept_args, listed


@dataclass(frozen=True)
class TaskSettings:
    binary: str  # the name SparkFiles knows the binary by
    threads: int
    extract_options: list[str]
    plan: Broadcast  # of Plan.plain()


def extract_partition(settings: TaskSettings, part: int, elements: Iterator[tuple[Key, tuple]]) -> Iterator[tuple[int, bytes]]:
    """Extracts one partition: yields (partition, gzip-compressed partial file)."""
    with tempfile.TemporaryDirectory(prefix="newsgraph-spark-") as tmp:
        scratch = Path(tmp) / "in"
        scratch.mkdir()
        plan = Plan.from_plain(settings.plan.value)
        args, units = write_units(scratch, elements, plan)
        if not args:
            return
        rewriter = PartialRewriter(plan.inputs, units)
        raw = Path(tmp) / "part.jsonl"
        cmd = [binary_path(settings.binary), "-q", "-j", str(settings.threads), "extract", *settings.extract_options, "--", *args]
        with open(raw, "wb") as out:
            run_newsgraph(cmd, out, f"newsgraph extract (partition {part})", cwd=str(scratch))
        shutil.rmtree(scratch)
        packed = Path(tmp) / "part.jsonl.gz"
        with open(raw, "rb") as src, gzip.open(packed, "wb", compresslevel=1) as dst:
            for line in src:
                dst.write(rewriter.line(line))
        yield part, packed.read_bytes()


def unpack(partials: Iterable[bytes], directory: Path) -> list[str]:
    """Writes gzip-compressed partials into `directory` as plain files; returns their paths."""
    paths = []
    for i, packed in enumerate(partials):
        path = directory / f"part-{i}.jsonl"
        with gzip.GzipFile(fileobj=_BytesReader(packed)) as src, open(path, "wb") as dst:
            shutil.copyfileobj(src, dst, COPY_BUFFER)
        paths.append(str(path))
    return paths


class _BytesReader:
    """A read-only file over bytes, without copying them (io.BytesIO copies)."""

    def __init__(self, data: bytes) -> None:
        self.view = memoryview(data)
        self.pos = 0

    def read(self, n: int = -1) -> bytes:
        end = len(self.view) if n < 0 else min(len(self.view), self.pos + n)
        chunk = self.view[self.pos : end].tobytes()
        self.pos = end
        return chunk


def merge_group(settings: TaskSettings, group: tuple[int, Iterable[bytes]]) -> tuple[int, bytes]:
    """One node of the merge tree: `newsgraph merge --partial` of the group's partials."""
    key, partials = group
    partials = list(partials)
    if len(partials) == 1:
        return key, partials[0]
    with tempfile.TemporaryDirectory(prefix="newsgraph-spark-") as tmp:
        paths = unpack(partials, Path(tmp))
        del partials
        packed = Path(tmp) / "merged.jsonl.gz"
        cmd = [binary_path(settings.binary), "-q", "-j", str(settings.threads), "merge", "--partial", "--", *paths]
        with gzip.open(packed, "wb", compresslevel=1) as out:
            run_newsgraph(cmd, out, f"newsgraph merge --partial (tree node {key})")  # type: ignore[arg-type]
        return key, packed.read_bytes()


# ---- Driver -------------------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="newsgraph build as a Spark job: extract per partition, merge as a tree.",
        epilog="Exit codes: 0 success, 1 some inputs skipped or partly read, 2 fatal error.",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="directories, JSONL files or text files (any Hadoop path)")
    p.add_argument("-o", "--out", required=True, help="export directory, on the driver's file system")
    p.add_argument(
        "--binary",
        help="the newsgraph binary on the driver, shipped to the executors with SparkContext.addFile "
        "(default: the file named newsgraph given to spark-submit --files)",
    )
    p.add_argument("--partitions", type=int, default=None, help="partitions to extract (default: spark.default.parallelism)")
    p.add_argument("--fan-in", type=int, default=4, help="partials merged by one node of the merge tree (default 4)")
    p.add_argument("--master", help="Spark master when not run by spark-submit, e.g. local[2]")
    p.add_argument(
        "--task-threads",
        type=int,
        default=None,
        help="newsgraph threads per task (default: spark.task.cpus)",
    )
    p.add_argument("--format", default=",".join(FORMATS), help="formats to write, comma-separated (as newsgraph)")
    for flag in ("--with-documents", "--no-cooccurrence", "--force", "--graphml-viz", "--csv-safe"):
        p.add_argument(flag, action="store_true", help=f"passed to newsgraph merge ({flag})")
    p.add_argument("--aliases", help="alias rules file on the driver, passed to newsgraph merge")
    p.add_argument(
        "--previous",
        help="an earlier export on the driver whose ids are kept (newsgraph merge --previous; "
        "incremental batches)",
    )
    p.add_argument(
        "--earlier-partial",
        action="append",
        default=[],
        metavar="FILE",
        help="a partial file of earlier batches on the driver, merged with this batch (repeatable)",
    )
    p.add_argument(
        "--save-partial",
        metavar="FILE",
        help="also write the merged partial (earlier partials included) to FILE on the driver, "
        "for the next batch's --earlier-partial",
    )
    p.add_argument("--max-document-bytes", type=int, help="passed to newsgraph extract")
    p.add_argument("--max-sentence-bytes", type=int, help="passed to newsgraph extract")
    args = p.parse_args(argv)
    if args.partitions is not None and args.partitions < 1:
        p.error("--partitions must be at least 1")
    if args.fan_in < 2:
        p.error("--fan-in must be at least 2")
    return args


def final_merge(binary: str, partials: list[bytes], args: argparse.Namespace) -> int:
    """`newsgraph merge` of the last partials into the export, on the driver; its problem list
    and summary go to the driver's stderr."""
    options = ["--format", args.format]
    for flag in ("with_documents", "no_cooccurrence", "force", "graphml_viz", "csv_safe"):
        if getattr(args, flag):
            options.append("--" + flag.replace("_", "-"))
    if args.aliases:
        options += ["--aliases", args.aliases]
    if args.previous:
        options += ["--previous", args.previous]
    with tempfile.TemporaryDirectory(prefix="newsgraph-spark-") as tmp:
        paths = unpack(partials, Path(tmp))
        partials.clear()
        if not paths:
            # An empty corpus: the partial of an extract with no inputs.
            empty = Path(tmp) / "empty"
            empty.mkdir()
            with open(Path(tmp) / "empty.jsonl", "wb") as out:
                run_newsgraph([binary, "-q", "extract", str(empty)], out, "newsgraph extract")
            header = json.loads((Path(tmp) / "empty.jsonl").read_bytes())
            header["runs"] = [{"input": args.inputs}]
            (Path(tmp) / "empty.jsonl").write_bytes(compact(header))
            paths = [str(Path(tmp) / "empty.jsonl")]
        paths = [*args.earlier_partial, *paths]
        if args.save_partial:
            with open(args.save_partial, "wb") as out:
                run_newsgraph([binary, "-q", "merge", "--partial", "--", *paths], out, "newsgraph merge --partial")
        proc = subprocess.run([binary, "merge", *options, "--out", args.out, "--", *paths])
    if proc.returncode not in (0, 1):
        raise JobError(f"newsgraph merge failed (exit {proc.returncode}); its error is above")
    return proc.returncode


def run(args: argparse.Namespace) -> int:
    start = time.monotonic()
    builder = SparkSession.builder.appName("newsgraph")
    if args.master:
        builder = builder.master(args.master)
        # Python workers run this interpreter (spark-submit has its own settings for that).
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = builder.getOrCreate()
    sc = spark.sparkContext
    log(f"Spark {spark.version} session ({sc.master}) in {time.monotonic() - start:.1f} s")
    try:
        if args.binary:
            binary = os.path.abspath(args.binary)
            if not os.access(binary, os.X_OK):
                raise JobError(f"--binary {args.binary} is not an executable file")
            sc.addFile(binary)
        else:
            binary = binary_path("newsgraph")
        partitions = args.partitions or sc.defaultParallelism
        extract_options = []
        if args.max_document_bytes is not None:
            extract_options += ["--max-document-bytes", str(args.max_document_bytes)]
        if args.max_sentence_bytes is not None:
            extract_options += ["--max-sentence-bytes", str(args.max_sentence_bytes)]
        threads = args.task_threads or int(sc.getConf().get("spark.task.cpus", "1"))

        start = time.monotonic()
        plan, shared, elements = plan_inputs(spark, args.inputs, partitions)
        settings = TaskSettings(os.path.basename(binary), threads, extract_options, shared)
        log(f"{len(plan.files)} files and {len(plan.jsonl)} JSONL inputs in {partitions} partitions "
            f"({time.monotonic() - start:.1f} s to list)")
        start = time.monotonic()

        partials = elements.repartitionAndSortWithinPartitions(
            partitions, partitionFunc=lambda key: key[0]
        ).mapPartitionsWithIndex(lambda part, it: extract_partition(settings, part, it))
        nodes = partitions
        while nodes > args.fan_in:
            nodes = -(-nodes // args.fan_in)
            fan_in = args.fan_in
            partials = (
                partials.map(lambda kv: (kv[0] // fan_in, kv[1]))
                .groupByKey(nodes, partitionFunc=lambda key: key)
                .map(lambda group: merge_group(settings, group))
            )
        last = [packed for _, packed in partials.collect()]
        log(f"extract and merge tree: {time.monotonic() - start:.1f} s, {len(last)} partial(s) "
            f"({sum(map(len, last)) / 1e6:.1f} MB gzip) to the driver")
        start = time.monotonic()
        code = final_merge(binary, last, args)
        log(f"final merge and export: {time.monotonic() - start:.1f} s")
        return code
    finally:
        spark.stop()


def log(message: str) -> None:
    print(f"newsgraph-spark: {message}", file=sys.stderr, flush=True)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    try:
        return run(args)
    except JobError as e:
        log(f"error: {e}")
        return 2
    except Exception as e:  # a failed Spark job: the task's error (newsgraph's stderr) is in it
        log(f"error: the Spark job failed: {task_error(str(e))}")
        return 2


def task_error(message: str) -> str:
    """The error a task raised when running newsgraph, out of the Java exception of the failed
    Spark job (which Spark has logged whole above); else the whole message."""
    m = TASK_ERROR.search(message)
    return m.group(1).strip() if m else message


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
