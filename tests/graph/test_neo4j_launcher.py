"""The session's Neo4j (launcher, testcontainers or NEO4J_URI) is a real Neo4j 5.26 over Bolt."""

from __future__ import annotations

import uuid

import neo4j
import pytest
from neo4j.exceptions import ClientError

pytestmark = pytest.mark.neo4j


@pytest.fixture()
def driver(neo4j_server):
    with neo4j.GraphDatabase.driver(neo4j_server.uri, auth=neo4j_server.auth) as drv:
        yield drv


def test_answers_a_query(driver, neo4j_server):
    records, _, _ = driver.execute_query("RETURN 1 AS one", database_=neo4j_server.database)
    assert [r["one"] for r in records] == [1]


def test_is_neo4j_5_26(driver, neo4j_server):
    info = driver.get_server_info()
    assert info.agent.startswith("Neo4j/5.26."), info.agent
    records, _, _ = driver.execute_query(
        "CALL dbms.components() YIELD name, versions RETURN name, versions",
        database_=neo4j_server.database,
    )
    kernel = {r["name"]: r["versions"] for r in records}["Neo4j Kernel"]
    assert kernel[0].startswith("5.26."), kernel


def test_stores_and_reads_back_a_node(driver, neo4j_server):
    marker = uuid.uuid4().hex
    driver.execute_query(
        "CREATE (:LauncherProbe {marker: $marker, n: $n})",
        marker=marker, n=42, database_=neo4j_server.database,
    )
    try:
        records, _, _ = driver.execute_query(
            "MATCH (p:LauncherProbe {marker: $marker}) RETURN p.n AS n",
            marker=marker, database_=neo4j_server.database, routing_=neo4j.RoutingControl.READ,
        )
        assert [r["n"] for r in records] == [42]
    finally:
        driver.execute_query(
            "MATCH (p:LauncherProbe {marker: $marker}) DELETE p",
            marker=marker, database_=neo4j_server.database,
        )


def test_read_session_refuses_a_write(driver, neo4j_server):
    marker = uuid.uuid4().hex
    with driver.session(database=neo4j_server.database,
                        default_access_mode=neo4j.READ_ACCESS) as session:
        with pytest.raises(ClientError) as raised:
            session.run("CREATE (:LauncherProbe {marker: $marker})", marker=marker).consume()
    assert "AccessMode" in (raised.value.code or ""), raised.value.code
    records, _, _ = driver.execute_query(
        "MATCH (p:LauncherProbe {marker: $marker}) RETURN count(p) AS n",
        marker=marker, database_=neo4j_server.database,
    )
    assert records[0]["n"] == 0


def test_wrong_password_is_refused(neo4j_server):
    if neo4j_server.password is None:
        pytest.skip("this Neo4j runs without authentication")
    with neo4j.GraphDatabase.driver(neo4j_server.uri, auth=(neo4j_server.user, "not-the-password")) as drv:
        with pytest.raises(neo4j.exceptions.AuthError):
            drv.verify_connectivity()
