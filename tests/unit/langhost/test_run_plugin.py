"""The language host's RunPlugin (tools/langhost/pulumi_language_python.py) on a real socket.

The host is started as the engine starts it (the file with an engine address; RunPlugin never
calls the engine), and a gRPC client sends what the engine sends for a ``runtime: python``
plugin directory: ``info`` (root = program directory = the plugin directory), ``pwd``,
``args``, ``env``. The plugins are tiny ``__main__.py`` files that report what they saw.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import textwrap
import venv
from collections.abc import Iterator, Sequence
from pathlib import Path

import grpc
import pytest
from google.protobuf import struct_pb2
from pulumi.runtime.proto import language_pb2, language_pb2_grpc

HOST = Path(__file__).resolve().parents[3] / "tools" / "langhost" / "pulumi_language_python.py"

REPORT = """\
import json, os, sys
print(json.dumps({"cwd": os.getcwd(), "argv": sys.argv[1:], "prefix": sys.prefix,
                  "probe": os.environ.get("N3_PROBE"), "path0": os.environ["PATH"].split(":")[0]}))
print("plugin diagnostics", file=sys.stderr)
sys.exit(3)
"""

BLOCK = """\
import os, threading
print(os.getpid(), flush=True)
threading.Event().wait()
"""


@pytest.fixture(scope="module")
def stub() -> Iterator[language_pb2_grpc.LanguageRuntimeStub]:
    env = {k: v for k, v in os.environ.items() if k != "PULUMI_PYTHON_CMD"}
    proc = subprocess.Popen(
        [sys.executable, "-u", str(HOST), "127.0.0.1:1"],
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    assert proc.stdout is not None
    port = int(proc.stdout.readline())
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    try:
        yield language_pb2_grpc.LanguageRuntimeStub(channel)
    finally:
        channel.close()
        proc.kill()
        proc.wait()
        proc.stdout.close()


def plugin(directory: Path, main: str) -> Path:
    directory.mkdir(parents=True)
    (directory / "PulumiPlugin.yaml").write_text("runtime: python\n")
    (directory / "__main__.py").write_text(textwrap.dedent(main))
    return directory


def request(
    directory: Path, pwd: Path, *, options: dict[str, str] | None = None, env: Sequence[str] = ()
) -> language_pb2.RunPluginRequest:
    opts = struct_pb2.Struct()
    opts.update(options or {})
    info = language_pb2.ProgramInfo(
        root_directory=str(directory),
        program_directory=str(directory),
        entry_point=".",
        options=opts,
    )
    return language_pb2.RunPluginRequest(
        pwd=str(pwd), args=["127.0.0.1:9", "-v=9"], env=list(env), info=info, kind="resource"
    )


def collect(responses: Iterator[language_pb2.RunPluginResponse]) -> tuple[str, str, list[int]]:
    out, err, codes = b"", b"", []
    for r in responses:
        kind = r.WhichOneof("output")
        if kind == "stdout":
            out += r.stdout
        elif kind == "stderr":
            err += r.stderr
        else:
            codes.append(r.exitcode)
    return out.decode(), err.decode(), codes


def test_streams_stdout_stderr_then_the_exit_code(
    tmp_path: Path, stub: language_pb2_grpc.LanguageRuntimeStub
) -> None:
    directory = plugin(tmp_path / "plugin", REPORT)
    env = [f"PULUMI_PYTHON_CMD={sys.executable}", "N3_PROBE=from-engine"]
    out, err, codes = collect(stub.RunPlugin(request(directory, tmp_path, env=env)))
    assert codes == [3]
    assert err == "plugin diagnostics\n"
    seen = json.loads(out)
    assert seen["cwd"] == str(tmp_path)  # the engine's pwd, not the plugin directory
    assert seen["argv"] == ["127.0.0.1:9", "-v=9"]
    assert seen["probe"] == "from-engine"
    assert seen["prefix"] == sys.prefix


def test_virtualenv_option_is_relative_to_the_plugin_directory(
    tmp_path: Path, stub: language_pb2_grpc.LanguageRuntimeStub
) -> None:
    directory = plugin(tmp_path / "plugin", REPORT)
    venv.create(directory / "venv", with_pip=False)
    options = {"virtualenv": "venv"}
    out, _, codes = collect(stub.RunPlugin(request(directory, tmp_path, options=options)))
    assert codes == [3]
    seen = json.loads(out)
    assert Path(seen["prefix"]) == directory / "venv"
    assert seen["path0"] == str(directory / "venv" / "bin")


def test_missing_virtualenv_is_one_sentence(
    tmp_path: Path, stub: language_pb2_grpc.LanguageRuntimeStub
) -> None:
    directory = plugin(tmp_path / "plugin", REPORT)
    options = {"virtualenv": "nope"}
    with pytest.raises(grpc.RpcError) as failed:
        collect(stub.RunPlugin(request(directory, tmp_path, options=options)))
    assert failed.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    message = failed.value.details()
    assert "'virtualenv' option" in message and "does not exist" in message
    assert "\n" not in message and "Traceback" not in message


def test_an_interpreter_that_cannot_start_is_one_sentence(
    tmp_path: Path, stub: language_pb2_grpc.LanguageRuntimeStub
) -> None:
    directory = plugin(tmp_path / "plugin", REPORT)
    missing = tmp_path / "no-such-python"
    env = [f"PULUMI_PYTHON_CMD={missing}"]
    with pytest.raises(grpc.RpcError) as failed:
        collect(stub.RunPlugin(request(directory, tmp_path, env=env)))
    assert failed.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    message = failed.value.details()
    assert f"interpreter {missing} (No such file or directory)" in message
    assert "\n" not in message


def test_a_directory_without_main_is_refused(
    tmp_path: Path, stub: language_pb2_grpc.LanguageRuntimeStub
) -> None:
    directory = plugin(tmp_path / "plugin", REPORT)
    (directory / "__main__.py").unlink()
    with pytest.raises(grpc.RpcError) as failed:
        collect(
            stub.RunPlugin(
                request(directory, tmp_path, env=[f"PULUMI_PYTHON_CMD={sys.executable}"])
            )
        )
    assert failed.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "has no __main__.py" in failed.value.details()


def test_cancelling_the_stream_kills_the_plugin(
    tmp_path: Path, stub: language_pb2_grpc.LanguageRuntimeStub
) -> None:
    directory = plugin(tmp_path / "plugin", BLOCK)
    env = [f"PULUMI_PYTHON_CMD={sys.executable}"]
    call = stub.RunPlugin(request(directory, tmp_path, env=env))
    first = next(call)
    pid = int(first.stdout)
    pidfd = os.pidfd_open(pid)
    try:
        assert select.select([pidfd], [], [], 0)[0] == []  # still running
        call.cancel()  # what the engine does when it closes the plugin
        ready, _, _ = select.select([pidfd], [], [], 60)  # wakes when the process ends
        assert ready == [pidfd], f"plugin {pid} still runs after the stream was cancelled"
    finally:
        os.close(pidfd)
