"""The ledger's Merkle tree (archive/evidence/merkle.py) against RFC 6962's hashing: the test vectors of
the Certificate Transparency implementations, and every inclusion and consistency proof of small trees
checked both ways (a good proof verifies, any other hash or size does not)."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from archive.evidence import merkle

# The leaves and roots of RFC 6962's reference tests (certificate-transparency, Trillian).
LEAVES = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
HASHES = [merkle.leaf_hash(d) for d in LEAVES]


def test_the_hashes_are_rfc_6962s():
    assert merkle.leaf_hash(b"") == hashlib.sha256(b"\x00").digest()
    assert merkle.node_hash(b"a", b"b") == hashlib.sha256(b"\x01ab").digest()
    assert merkle.root([]).hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_the_roots_of_the_reference_vectors():
    assert [merkle.root(HASHES[:n]).hex() for n in range(1, 9)] == ROOTS


def test_the_roots_of_every_prefix_in_one_pass():
    found = merkle.roots_at(HASHES, range(0, 9))
    assert [found[n].hex() for n in range(1, 9)] == ROOTS
    assert found[0] == merkle.EMPTY_ROOT


def test_an_inclusion_proof_of_the_reference_tree():
    # RFC 9162's PATH(0, D[8]): the siblings of leaf 0 on its way up.
    proof = merkle.inclusion_proof(HASHES, 0)
    assert proof == [HASHES[1], merkle.root(HASHES[2:4]), merkle.root(HASHES[4:8])]
    assert merkle.verify_inclusion(0, 8, HASHES[0], proof, bytes.fromhex(ROOTS[7]))


def test_a_consistency_proof_of_the_reference_tree():
    # PROOF(3, D[7]) of RFC 9162 §2.1.4.3's example: c, d, g, l (here as subtree roots).
    proof = merkle.consistency_proof(HASHES, 3, 7)
    assert proof == [HASHES[2], HASHES[3], merkle.root(HASHES[:2]), merkle.root(HASHES[4:7])]
    assert merkle.verify_consistency(3, 7, bytes.fromhex(ROOTS[2]), bytes.fromhex(ROOTS[6]), proof)


def _leaves(n: int) -> list[bytes]:
    return [merkle.leaf_hash(i.to_bytes(4, "big")) for i in range(n)]


@given(st.integers(1, 70), st.data())
def test_every_inclusion_proof_verifies_and_no_other(n, data):
    leaves = _leaves(n)
    index = data.draw(st.integers(0, n - 1))
    root = merkle.root(leaves)
    proof = merkle.inclusion_proof(leaves, index)
    assert merkle.verify_inclusion(index, n, leaves[index], proof, root)
    assert not merkle.verify_inclusion(index, n, merkle.leaf_hash(b"other"), proof, root)
    if n > 1:
        assert not merkle.verify_inclusion((index + 1) % n, n, leaves[index], proof, root)
        assert not merkle.verify_inclusion(index, n, leaves[index], proof[:-1], root)


@given(st.integers(1, 70), st.data())
def test_every_consistency_proof_verifies_and_no_other(n, data):
    leaves = _leaves(n)
    m = data.draw(st.integers(0, n))
    old, new = merkle.root(leaves[:m]), merkle.root(leaves)
    proof = merkle.consistency_proof(leaves, m, n)
    assert merkle.verify_consistency(m, n, old, new, proof)
    if 0 < m < n:
        assert not merkle.verify_consistency(m, n, merkle.leaf_hash(b"other"), new, proof)
        assert not merkle.verify_consistency(m, n, old, merkle.leaf_hash(b"other"), proof)
        rewritten = [*leaves[: m - 1], merkle.leaf_hash(b"rewritten"), *leaves[m:]]
        assert not merkle.verify_consistency(m, n, old, merkle.root(rewritten), proof)
