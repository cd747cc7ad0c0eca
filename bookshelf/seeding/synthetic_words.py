"""The words the synthetic shelf is made of: names, countries, title words, bio phrases.

The name pools are large because a real catalogue rarely lists two authors of one name;
a few hundred names each side give hundreds of thousands of pairings. Title words are
many for the same reason: real catalogues repeat few titles and have many rare words.
"""

FIRST_NAMES = """
Aamir Abena Abdulrazak Achieng Ada Adaeze Afonso Agata Agnes Agnieszka Ahmet Aiko Akira
Akosua Alasdair Alaa Alberto Alejandro Aleksander Alessandro Alice Alicia Amara Amelia
Amelie Amin Amina Amira Amitav Ana Ananya Anders Andrei Andres Andrzej Anh Anil Anita
Anke Anna Anneke Anselm Antoine Anton Aoife Aravind Arjun Arthur Astrid Audrey Ayse Bao
Basma Beatrice Beatriz Benjamin Bernard Bernd Bisi Bjorn Bohumil Bora Boris Bozena Bram
Brendan Burak Camille Carlo Carlos Carmen Caroline Celine Cesare Charles Charlotte Chen
Chiara Chigozie Chimamanda Chinedu Chitra Ciaran Claire Clarice Claude Colette Colm
Cormac Czeslaw Daan Dacia Dag Daisuke Dalia Daniel Danilo David Declan Deepa Denis
Devika Diego Dieter Dimitra Dmitri Dolores Dorota Dorothy Dylan Edith Eduardo Edward
Efua Eirik Eleanor Elena Eleni Elif Eliza Elke Elodie Elsa Emeka Emi Emilio Emily Emma
Esteban Esther Etienne Eun-jin Ewa Ewan Fadi Farah Farid Fatima Federico Femi Femke
Fernanda Fernando Fiona Flannery Frances Francesca Francoise Freya Friedrich Funmi
Fyodor Gabriel Gabriela Genevieve George Giacomo Giorgio Giovanni Gisela Gita Giulia
Gonzalo Grace Guillaume Gunnar Gwen Halvard Hamid Hana Hanan Hannah Harriet Haruki Hedda
Heike Heinrich Helen Helena Helene Henry Hiroshi Hisham Horacio Huda Hugo Hye-young
Hyun-woo Ignacio Iain Ilse Imran Imre Ines Ingeborg Ingrid Irina Iris Isaac Isabel Italo
Ivan Ivo Jack Jamal James Jan Jane Jaroslav Javier Jhumpa Ji-won Jia Jing Joan Joao
Johan John Jonas Joost Jorge Joseph Josefina Juan Judith Julia Julien Juliette Julio Jun
Jurgen Kai Kamala Kamau Kaori Karim Karin Katarzyna Katherine Katrin Kazuo Keiko Kenji
Khaled Kiran Klaus Knut Kofi Krzysztof Kunle Kwame Kyung-sook Lakshmi Lan Lars Laszlo
Laura Laurent Layla Leila Lena Leon Leonardo Leticia Lev Liam Lin Lina Lindiwe Ling Liv
Lola Lorena Lorenzo Lotte Louisa Luca Lucia Lucien Lucy Luis Lukas Ludmila Maarten Maeve
Magda Magnus Mahmoud Maja Mandla Manuel Marcel Marcelo Marco Margaret Margaux Marguerite
Mariana Mariko Marina Marisol Martha Mary Mateo Mathilde Matthew Matthias Maya Meera Mei
Mercedes Michael Mieke Miguel Milan Min-jun Mina Ming Minh Mira Mohammed Mohsin Mona
Monika Morag Muriel Nadia Nadeem Naledi Nasrin Natalia Nathalie Nathaniel Nawal Ngozi
Niamh Nikolai Nikos Nils Nnedi Noor Nomvula Octavia Octavio Oksana Olga Olivier Oliver
Omar Orhan Oskar Otieno Owen Oyinkan Pankaj Paola Parisa Pascal Patricia Paul Paulo
Pavel Pedro Peter Petina Phuong Pierre Pieter Pilar Primo Priya Qiu Rachel Rafael Ralf
Ramon Rania Raquel Rasha Ravi Raymond Rebecca Remy Reza Rhys Richard Robert Roberto
Rodrigo Rohan Rohinton Roisin Rosa Rosario Rui Ruth Ryu Sabine Sadia Salma Samir Samuel
Sandor Sandro Sanjay Sanne Santiago Sara Sarah Sayaka Seamus Sefi Selma Seo-yeon Serena
Sergio Shashi Shirin Sigrid Silvia Simon Simone Sipho Siobhan Sofia Solveig Soren Stefan
Sunil Susan Sven Svetlana Sylvain Sylvia Takashi Tanvir Tariq Tatiana Teju Teresa Thabo
Thandiwe Thanh Thierry Thomas Tiago Tomas Tomasz Tope Tove Tsitsi Uwem Ulla Ulrich
Ursula Ute Valentina Valeria Vera Vesna Victoria Vigdis Vikram Vinicius Virginia Walter
Wambui Wanjiru Wei Willa William Wim Witold Wolfgang Wole Xiao Ximena Yaa Yan Yannis
Yara Yasmina Yaw Yoko Youssef Yuki Yukio Yuri Yusuf Zadie Zainab Zanele Zeynep Zofia Zoe
Zsofia Zukiswa
""".split()
LAST_NAMES = """
Abara Abbas Abdallah Abe Abubakar Adams Adebayo Adeleke Adeyemi Afolabi Agarwal Aguilar
Ahmadi Ahmed Ainsworth Akande Aksoy Alavi Allen Almeida Alvarez Alves Amadi Andersen
Andersson Aquino Archer Arnaud Arslan Asante Ashby Atwood Aubert Avetisyan Aydin Azevedo
Aziz Babic Bailey Baker Bakker Balogh Banerjee Bankole Barbier Barbieri Barbosa Barnes
Barros Bauer Baumann Bautista Becker Bell Bello Benedetti Benitez Bennett Berg Berger
Bernardi Bertrand Bhatt Bianchi Bitar Blackwood Blanc Boateng Bondarenko Bonnet Bos Bose
Boucher Boyle Bradley Brandt Braun Brennan Brooks Brown Brun Bruno Bui Burton Byrne
Cabrera Callaghan Cardoso Carrasco Carter Caruso Carvalho Cassidy Castillo Castro Celik
Chambers Chan Chatterjee Chaudhry Chen Cheng Chevalier Cho Choi Chowdhury Chukwu Claes
Clarke Clement Cohen Cole Collins Colombo Conti Contreras Cooper Correia Cortes Costa
Crawford Cruz Cunha Dahl Danso Darwish Das Davies Dawson Demir Deng Desai Diallo Dias
Diaz Diop Dixon Dlamini Doherty Dogan Dominguez Donnelly Doyle Duarte Dubois Duffy
Dufour Dumas Dumitrescu Duong Dupont Durand Ebadi Edwards Ekwueme Ellis Endo Engel Erdem
Eriksen Eriksson Esposito Evans Eze Fabbri Fairfax Farahani Farkas Farouk Faure Feng
Fernandes Fernandez Ferrara Ferrari Ferreira Figueroa Fischer Fitzgerald Fletcher Flores
Fofana Fontaine Fontana Ford Foster Fournier Fox Freitas Friedman Fuchs Fuentes Fujita
Fujiwara Galli Gallagher Gallo Gao Garcia Gardner Gauthier Georgescu Ghanem Ghosh Gibson
Gimenez Giordano Girard Goh Goldberg Gomes Gomez Goncalves Gonzalez Graf Graham Gray
Greco Green Grigoryan Guerin Guerrero Gueye Guo Gupta Gutierrez Habib Haddad Hahn
Hakobyan Hale Hall Hamdan Hansen Hardy Harper Harris Hart Hartmann Hasegawa Hassan
Haugen Hayashi Hayes Heikkinen Heller Hernandez Herrera Hill Hoang Hoffmann Holland Holm
Holmes Hong Horvat Horvath Hosseini Howard Hu Huang Huber Hughes Hunt Hussain Hussein
Hwang Ibarra Ibrahim Iglesias Ikeda Inoue Ionescu Irving Ishikawa Issa Ito Iyer Jaber
Jackson Jain Jang Janssens Javadi Jayasuriya Jenkins Jensen Jimenez Johansson Johnson
Jones Joshi Jovanovic Jung Kaiser Kamara Kang Kaplan Kapoor Kariuki Karimi Karlsson Kato
Katz Kavanagh Kaya Keane Keita Keller Kelly Kemp Kennedy Kent Khalil Khan Khoury Khumalo
Kim Kimani Kimura King Kiss Klein Knight Kobayashi Koch Kondo Korhonen Koroma Kovac
Kovacs Kovalenko Kraus Krishnan Kruger Kurt Kwon Laine Lambert Lane Lang Larsen Laurent
Lawal Lawrence Le Leclerc Lee Lefebvre Legrand Lehmann Leone Leroy Leung Levi Lewis Li
Lim Lima Lin Lindberg Lindgren Lindqvist Liu Lloyd Lombardi Lopes Lopez Lorenz Lozano
Lund Luo Lynch Ma Machado MacLeod Maes Magnusson Maguire Mahlangu Mahmoudi Maier Makinen
Malhotra Malik Mancini Mansour Marchand Marchetti Marino Markovic Marques Marquez Marsh
Marshall Martin Martinez Martini Mason Masri Matsumoto Mbatha McBride McCann McCarthy
McGrath Medina Mehta Meijer Mendes Mendoza Menon Mensah Mercier Meunier Meyer Michel
Miller Mills Mirza Mishra Mitchell Mizrahi Mokoena Molina Molnar Monteiro Montero Moore
Morales Moradi Moreau Morel Moreira Moreno Moretti Morgan Mori Morris Moura Moyo
Mukherjee Mulder Murakami Murphy Murray Mutua Mwangi Nagy Nair Nakajima Nakamura
Nascimento Nash Nasser Navarro Ndiaye Ndlovu Nemeth Neri Neumann Newman Ng Ngo Nguyen
Nielsen Nieminen Nikolic Nilsson Nishimura Nkosi Noel Nogueira Nolan Norris Novak Nunez
Nwosu Nystrom O'Brien O'Connor O'Neill Obi Ochieng Odhiambo Ogawa Ogunleye Oh Okada
Okafor Okeke Okonkwo Oladipo Olatunji Oliveira Olsen Omondi Onyango Orlando Ortega Ortiz
Osborne Osei Otto Owusu Ozdemir Ozturk Pacheco Palmer Pandey Papp Pardo Paredes Park
Parker Patel Pearce Pedersen Pellegrini Peng Pereira Perera Perez Perrin Persson Peters
Petit Petrescu Petrosyan Petrovic Pham Phan Pillai Pinto Popescu Porter Powell Price
Qasim Quigley Quintana Qureshi Radu Rahimi Rahman Ramirez Ramos Rao Reddy Reed Reeves
Reilly Renard Reyes Reynolds Ribeiro Ricci Richards Richter Rinaldi Rios Rivera Rizzo
Roberts Robinson Roche Rocha Rodriguez Rogers Romano Romero Rosenberg Rossi Rostami Roth
Rousseau Roux Roy Rubio Ruiz Russell Russo Ryan Saad Sadeghi Saito Sahin Sala Salazar
Saleh Salem Sanchez Sandberg Sandoval Santana Santoro Santos Sarkissian Sasaki Sato
Sawyer Schafer Schmidt Schneider Scholz Schreiber Schulz Schwarz Scott Seidel Sen Serra
Serrano Sesay Shah Shapiro Sharif Sharma Sharp Shaw Shepherd Sheridan Shevchenko Shimizu
Shin Shirazi Siddiqui Silva Simmons Simsek Singh Sinha Sithole Slater Smit Solberg Song
Soto Sousa Spencer Srinivasan Stanescu Stanton Stein Stevens Stone Strand Suarez
Sullivan Sun Sutton Suzuki Svensson Sweeney Szabo Takahashi Tamimi Tan Tanaka Tang
Tavares Taylor Teixeira Tekin Testa Thorne Tierney Tkachenko Torres Toth Toure Townsend
Tran Traore Turner Ueda Valdes Vargas Varga Vaughan Vega Velasco Verma Vidal Vieira
Villa Villanueva Vincent Virtanen Visser Vitale Vogel Vos Vu Wagner Walker Walsh Walter
Wang Wanjiku Ward Warren Watanabe Watson Webb Weber Weinberg Weiss Wells Werner West
Wheeler White Whitmore Wickramasinghe Wilde Wilkinson Willems Williams Wilson Winkler
Winter Wolf Wong Wood Wright Wu Xie Xu Yamada Yamaguchi Yamamoto Yang Yassin Yavuz
Yazdani Yildiz Yilmaz Yoon Yoshida Young Yusuf Zapata Zayed Zeng Zhang Zhao Zhou Zhu
Ziegler Zimmermann Zulu Zupan
""".split()
MIDDLE_INITIALS = "ABCDEFGHJKLMNOPRSTW"
COUNTRIES = [
    ("United States", 14),
    ("United Kingdom", 10),
    ("France", 7),
    ("Germany", 6),
    ("Japan", 6),
    ("Spain", 5),
    ("Italy", 5),
    ("India", 5),
    ("Brazil", 4),
    ("Nigeria", 4),
    ("Canada", 4),
    ("Mexico", 3),
    ("Argentina", 3),
    ("Sweden", 3),
    ("Norway", 2),
    ("Poland", 2),
    ("Ireland", 2),
    ("Kenya", 2),
    ("South Korea", 2),
    ("Egypt", 2),
    ("Chile", 2),
    ("Netherlands", 2),
    ("Australia", 2),
    ("Portugal", 1),
    ("Finland", 1),
    ("Turkey", 1),
    ("Ghana", 1),
    ("Peru", 1),
]
# The countries English names with "the": "a novelist from the United States".
COUNTRIES_WITH_THE = {"United States", "United Kingdom", "Netherlands"}
ADJECTIVES = """
Silent Hidden Burning Forgotten Golden Broken Endless Crimson Distant Quiet Last Secret
Wandering Frozen Bright Sleeping Lost Iron Glass Summer Winter Northern Small Amber
Ancient Autumn Bitter Black Blue Bold Borrowed Brief Calm Careless Cold Copper Crooked
Cruel Dark Deep Drowned Dry Early Empty Eternal Faded Fallen False Far Fierce Final
First Foreign Fragile Free Gentle Grey Green Hollow Holy Honest Humble Hungry Idle
Invisible Ivory Kind Late Little Lonely Long Loyal Mad Marble Midnight Missing Narrow
New Old Open Pale Patient Perfect Proud Purple Quick Rare Red Restless Rising Rough Salt
Scarlet Second Shining Short Silver Slow Southern Spring Stolen Strange Sweet Tender
Thin Timid True Twin Velvet Violet Warm Western White Wild Wooden Young
""".split()
NOUNS = """
River Garden House City Lantern Orchard Island Kingdom Mirror Harbour Tower Forest
Desert Bridge Letter Machine Empire Voyage Shadow Storm Memory Crown Feather Moon Abbey
Anchor Archive Arrow Atlas Bell Blossom Border Bottle Candle Canyon Castle Cathedral
Cellar Chapel Circus Cliff Clock Cloud Compass Coast Cottage Courtyard Daughter Dawn
Diary Door Dream Drum Dune Echo Engine Estate Falcon Ferry Field Fire Fountain Fox
Frontier Gate Ghost Glacier Harvest Hearth Heron Highway Horizon Hunter Inn Journey Key
Ladder Lake Library Lighthouse Lion Map Market Meadow Mill Monastery Mountain Museum
Night Ocean Opera Palace Passage Pilgrim Prophet Quarry Railway Raven Reef Ribbon Road
Saint Sailor Scholar Season Shore Signal Silence Sister Sky Song Spider Star Station
Stone Street Sun Swan Temple Theatre Thief Thread Tide Traveller Valley Village Vineyard
Violin Wall Well Whale Widow Willow Window Wolf Word Year
""".split()
PLACES = """
Lisbon Kyoto Lagos Oslo Lima Cairo Dublin Seoul Naples Quito Prague Hanoi Tangier Accra
Algiers Amsterdam Athens Baku Bergen Bogota Bruges Budapest Cadiz Calcutta Cordoba
Damascus Dakar Delhi Florence Galway Genoa Granada Havana Istanbul Jaipur Kabul Karachi
Kiev Krakow Lahore Luanda Lyon Madras Manila Marseille Mombasa Montreal Nairobi Odessa
Porto Riga Salvador Samarkand Seville Smyrna Tbilisi Trieste Tunis Valparaiso Venice
Vienna Vilnius Warsaw Zanzibar Zurich
""".split()
OCCUPATIONS = (
    "novelist",
    "poet",
    "essayist",
    "short-story writer",
    "crime writer",
    "historian",
    "playwright",
    "journalist",
    "translator",
    "children's author",
    "travel writer",
    "biographer",
    "science writer",
    "editor",
)
TOPICS = (
    "memory and exile",
    "the sea",
    "family and inheritance",
    "cities at night",
    "migration",
    "love and its aftermath",
    "small towns",
    "war and those who survive it",
    "science and faith",
    "childhood",
    "the natural world",
    "crime and justice",
    "grief",
    "friendship",
    "work and money",
    "islands",
    "music",
    "food and hunger",
    "old age",
    "language itself",
)
