"""Queries and updates credgraph's endpoint with the Python clients analysts use,
SPARQLWrapper and rdflib, and prints what they read as JSON.

Usage: python_clients.py BASE_URL TOKEN
"""
import json
import sys

from rdflib import Graph
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, GET, JSON, POST, TURTLE, XML, SPARQLWrapper

base, token = sys.argv[1], sys.argv[2]
persons = "SELECT ?name WHERE { ?p a cg:Person ; rdfs:label ?name } ORDER BY ?name"
found = {}

client = SPARQLWrapper(base + "/query")
client.setQuery(persons)
client.setMethod(GET)
client.setReturnFormat(JSON)
found["json"] = [b["name"]["value"] for b in client.query().convert()["results"]["bindings"]]
client.setReturnFormat(XML)
found["xml"] = len(client.query().convert().getElementsByTagName("result"))
client.setMethod(POST)
client.setReturnFormat(CSV)
found["csv"] = len(client.query().convert().decode("utf-8").strip().splitlines()) - 1
client.setQuery("CONSTRUCT { ?p a cg:Person } WHERE { ?p a cg:Person }")
client.setReturnFormat(TURTLE)
found["construct"] = len(Graph().parse(data=client.query().convert(), format="turtle"))

writer = SPARQLWrapper(base + "/update")
writer.setMethod(POST)
writer.addCustomHttpHeader("Authorization", "Bearer " + token)
writer.setQuery("INSERT DATA { GRAPH <urn:from-python> { <urn:a> <urn:b> 'written by SPARQLWrapper' } }")
writer.query()

store = Graph(store=SPARQLStore(base + "/query"))
rows = store.query("SELECT ?o WHERE { GRAPH <urn:from-python> { ?s ?p ?o } }")
found["rdflib"] = [str(row[0]) for row in rows]
print(json.dumps(found))
