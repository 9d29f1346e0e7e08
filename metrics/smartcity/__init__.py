"""Smart-city (Gerakan Menuju 100 Smart City) evaluation: component weights as versioned data, the index."""
