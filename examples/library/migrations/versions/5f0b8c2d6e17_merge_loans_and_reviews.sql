-- schemagate:revision 5f0b8c2d6e17
-- schemagate:parents 1d6a9f3e7c58, e2c7b4a91f06
-- schemagate:message merge loans and reviews

-- schemagate:up

-- schemagate:down
