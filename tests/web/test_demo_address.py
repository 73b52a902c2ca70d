"""Where the demo listens: an address in use or written wrongly is refused at once, in Dutch, with the way out."""

import socket

import pytest

from vertrouwen.web.demo import DemoRefused, _local_address, _refuse_address_in_use


def test_an_address_in_use_is_refused_naming_another_port():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        address = f"127.0.0.1:{taken.getsockname()[1]}"
        with pytest.raises(DemoRefused, match=f"Het adres {address} is al in gebruik .*make demo PORT=8001"):
            _refuse_address_in_use(address)


def test_a_free_address_passes():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _refuse_address_in_use(f"127.0.0.1:{port}")


@pytest.mark.parametrize("bind", ["8000", "localhost", "127.0.0.1:http"])
def test_an_address_without_a_port_number_is_refused(bind):
    with pytest.raises(DemoRefused, match="geef een adres als HOST:POORT"):
        _refuse_address_in_use(bind)


@pytest.mark.parametrize(("bind", "address"), [("127.0.0.1:8001", "http://127.0.0.1:8001"),
                                               ("0.0.0.0:8000", "http://127.0.0.1:8000"),
                                               (":8000", "http://127.0.0.1:8000")])
def test_the_warm_up_asks_this_machine(bind, address):
    assert _local_address(bind) == address
