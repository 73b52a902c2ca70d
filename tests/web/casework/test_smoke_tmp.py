def test_pages_render(workspace, login):
    client = login("klantmanager")
    r = client.get("/caseload/")
    assert r.status_code == 200, r.content.decode()[:3000]
    for n in ("K1", "K3", "K5", "K6"):
        r = client.get(workspace.page(n))
        assert r.status_code == 200, r.content.decode()[:3000]
    r = login("projectleider").get("/begeleiding/")
    assert r.status_code == 200
