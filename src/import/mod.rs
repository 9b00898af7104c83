pub mod rdf;
