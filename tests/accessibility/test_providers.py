"""Travel-time providers: a user's distancier (CSV, Parquet) and an OSRM server's table service."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from oasis.accessibility.traveltime import MatrixFileProvider, OsrmProvider, TravelTimeError
from oasis.accessibility.units import load_units
from oasis.core.geo import haversine_km
from oasis.datasets.errors import DataFileError

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]


def test_csv_distancier(tmp_path):
    path = tmp_path / "metric.csv"
    path.write_text("origine,destination,minutes\n86194,86062,12.5\n86062,86194,14\n86194,86100,45\n")
    units = load_units()
    times = MatrixFileProvider(path).travel_times(units, 20)
    poitiers, buxerolles = units.index["86194"], units.index["86062"]
    dense = {(o, d): m for o, d, m in zip(times.origin, times.destination, times.minutes, strict=True)}
    assert dense[(poitiers, buxerolles)] == 12.5 and dense[(buxerolles, poitiers)] == 14
    assert (poitiers, units.index["86100"]) not in dense  # beyond the cutoff
    assert dense[(poitiers, poitiers)] == 0  # a unit reaches itself


def test_parquet_distancier(tmp_path):
    path = tmp_path / "metric.parquet"
    pq.write_table(pa.table({"origine": ["86194"], "destination": ["86062"], "minutes": [9.0]}), path)
    units = load_units()
    times = MatrixFileProvider(path).travel_times(units, 20)
    assert 9.0 in times.minutes.tolist()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("origine,destination,minutes\n86194,99999,3\n", "ligne 2 : colonne destination : « 99999 »"),
        ("origine,destination,minutes\n75056,86194,3\n", "codes d'arrondissement attendus"),
        ("origine,destination,minutes\n86194,86062,-3\n", "inférieur à 0"),
        ("origine,destination,minutes\n86194,86062,3\n86194,86062,4\n", "ligne 3 : couple 86194 → 86062 en double"),
        ("from,to,time\n86194,86062,3\n", "colonnes manquantes"),
    ],
)
def test_bad_distancier_is_refused(tmp_path, content, message):
    path = tmp_path / "metric.csv"
    path.write_text(content)
    with pytest.raises(DataFileError, match=message):
        MatrixFileProvider(path).travel_times(load_units(), 20)


class FakeOsrm(BaseHTTPRequestHandler):
    """A loopback stand-in for an OSRM server's /table service: 60 km/h along the great circle."""

    failures_left = 0
    status = 200

    def do_GET(self):
        cls = type(self)
        if cls.failures_left > 0:
            cls.failures_left -= 1
            self.send_response(503)
            self.end_headers()
            return
        if cls.status != 200:
            self.send_response(cls.status)
            self.end_headers()
            self.wfile.write(b'{"code":"TooBig"}')
            return
        parsed = urlsplit(self.path)
        coordinates = parsed.path.split("/")[-1]
        points = [tuple(map(float, pair.split(","))) for pair in coordinates.split(";")]
        query = parse_qs(parsed.query)
        sources = [int(i) for i in query["sources"][0].split(";")]
        destinations = [int(i) for i in query["destinations"][0].split(";")]
        durations = [[float(haversine_km(*points[s], *points[d])) * 60.0 for d in destinations] for s in sources]
        body = json.dumps({"code": "Ok", "durations": durations}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def osrm_server():
    FakeOsrm.failures_left = 0
    FakeOsrm.status = 200
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOsrm)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def small_units():
    """The units of one small département, to keep the number of requests small."""
    units = load_units()
    keep = [i for i, dep in enumerate(units.departement) if dep == "90"]  # Territoire de Belfort
    from dataclasses import replace

    def take(values):
        return values[keep] if isinstance(values, np.ndarray) else tuple(values[i] for i in keep)

    codes = take(units.codes)
    return replace(
        units,
        codes=codes,
        index={code: i for i, code in enumerate(codes)},
        longitude=take(units.longitude),
        latitude=take(units.latitude),
        area_km2=take(units.area_km2),
        categorie_aav=take(units.categorie_aav),
        pop_standardisee=take(units.pop_standardisee),
        pop_totale=take(units.pop_totale),
        departement=take(units.departement),
        region=take(units.region),
        epci=take(units.epci),
        bassin_de_vie=take(units.bassin_de_vie),
    )


def test_osrm_table_in_chunks(osrm_server):
    units = small_units()
    provider = OsrmProvider(osrm_server, max_table_size=20, max_speed_kmh=60)
    times = provider.travel_times(units, 10)
    full = haversine_km(units.longitude[:, None], units.latitude[:, None], units.longitude[None, :], units.latitude[None, :])
    expected = int((full <= 10).sum())  # 60 km/h: 10 minutes = 10 km
    assert times.pairs == expected
    assert provider.requests > units.n  # chunked: more than one request per origin for the largest neighbourhoods


def test_osrm_retries_then_succeeds(osrm_server):
    FakeOsrm.failures_left = 2
    provider = OsrmProvider(osrm_server, retries=3, max_speed_kmh=60)
    assert provider.travel_times(small_units(), 5).pairs > 0


def test_osrm_refusal_is_explained(osrm_server):
    FakeOsrm.status = 400
    with pytest.raises(TravelTimeError, match=r"refuse la requête \(HTTP 400\)"):
        OsrmProvider(osrm_server, retries=0).travel_times(small_units(), 5)


def test_osrm_unreachable_is_explained():
    with pytest.raises(TravelTimeError, match="injoignable"):
        OsrmProvider("http://127.0.0.1:9", retries=1, timeout_seconds=2).travel_times(small_units(), 5)


def test_osrm_bad_address():
    with pytest.raises(TravelTimeError, match="Adresse du serveur OSRM invalide"):
        OsrmProvider("osrm.local:5000")
