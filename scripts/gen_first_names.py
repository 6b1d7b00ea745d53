#!/usr/bin/env python3
"""Generate data/person_first_names.txt: common given names, one per line, Title-case, sorted.

Sources:
  1. US Census Bureau, 1990 census name frequency files (dist.male.first, dist.female.first),
     public domain (work of the US federal government), as shipped inside the PyPI package
     `names` (pinned: names==0.3.0, package code MIT; see scripts/requirements-data.txt).
     Original: https://www2.census.gov/topics/genealogy/1990surnames/
  2. INTL_NAMES below: a hand-curated supplement of given names common in international news
     (Arabic, Persian, Pashto/Urdu, South Asian, Slavic, Turkish, Hebrew, African, Latin American,
     European, East and South-East Asian), in their usual English-press spellings.  General
     knowledge; no external list was copied.

Names whose normalised form is in data/stopwords_capitalized.txt (e.g. May, June, August,
Will, Said) are left out, because a lone capitalised occurrence of them is usually not a name.

Usage (from the repository root):
    /tmp/gvenv/bin/pip install -r scripts/requirements-data.txt
    /tmp/gvenv/bin/python scripts/gen_first_names.py
Output is deterministic (sorted, '\n' line endings).
"""
from __future__ import annotations

import os
import unicodedata

import names

PINNED_VERSION = "0.3.0"

INTL_NAMES = """
Mohammed Muhammad Mohammad Mohamed Mohamad Muhammed Mehmet Ahmed Ahmad Ahmet Ali Hassan Hasan
Hussein Husain Hussain Hossein Husayn Omar Umar Abdullah Abdallah Abdul Abdel Abdulaziz Abdulrahman
Abdelaziz Abdelkader Abderrahmane Khalid Khaled Mahmoud Mahmud Mustafa Mostafa Moustafa Ibrahim
Ebrahim Ismail Esmail Ismael Youssef Yousef Yusuf Youssouf Yousif Salah Saleh Salih Saeed Sayed Samir
Sami Karim Kareem Tariq Tarek Tarik Walid Waleed Nasser Nasir Nasr Jamal Gamal Hamid Hamed Hamad Hamza
Hamzah Bilal Anwar Osama Usama Ayman Amr Amir Ammar Adel Adil Faisal Fahd Fahad Majid Majed Rashid
Rashed Suleiman Sulaiman Zaid Zayed Ziad Yasser Yasir Haitham Hisham Imad Emad Issa Isa Musa Moussa
Yahya Zakaria Idris Idriss Jaber Nabil Nabeel Wael Marwan Ghassan Riad Riyad Fadi Rami Bassam Ayoub
Ayub Abbas Jafar Jaafar Kamal Kemal Raed Fouad Fuad Munir Mounir Naji Nizar Qasim Qassem Kassem Hadi
Mahdi Mehdi Murtaza Morteza Moqtada Muqtada Haidar Haider Hayder Ismail Hezam Tawfiq Tawfik Talal
Sultan Bandar Turki Mohammed Nayef Mishal Saud Khalifa Tamim Mansour Mansoor Ayad Iyad Nouri Nuri
Fatima Fatma Fatemeh Aisha Ayesha Aicha Khadija Maryam Mariam Zainab Zaynab Leila Layla Laila Noor
Nour Amina Aminah Hana Huda Rania Rana Salma Samira Yasmin Yasmine Jamila Nadia Dina Reem Asma Iman
Eman Hind Souad Suad Samia Lubna Lina Mona Muna Amal Ghada Hanan Najla Nawal Sana Safa Shaima Wafa
Zahra Zohra Rasha Razan Dalia Heba Nada Nadine Nisreen
Reza Masoud Massoud Javad Jawad Gholam Ghulam Mojtaba Mohsen Behrouz Bijan Dariush Kourosh Farhad
Farid Kazem Kamran Nader Parviz Ramin Shahram Siavash Amin Arash Babak Navid Omid Payam Ashraf
Zalmay Zalmai Sirajuddin Zabihullah Hibatullah Amrullah Rahmatullah Habibullah Hekmatullah Najibullah
Saifullah Ehsanullah Asadullah Fazlullah Baitullah Hakimullah Gulbuddin Burhanuddin Shamsuddin
Aziz Rahim Rahman Latif Wahid Waheed Naveed Nawaz Imran Shahbaz Shehbaz Asif Asim Bilawal Benazir
Zulfikar Pervez Parvez Noor Gul Ashraf Farzana Shirin Shireen Parisa Mahsa Narges Nasrin Roya Soraya
Malala Ebrahim Hassan Masood Saad Sher Wali Yaqub Yakub Haroon Harun Junaid Zubair Zahid Sajid
Rahul Rajesh Ramesh Suresh Sunil Anil Amit Ajay Vijay Sanjay Arvind Narendra Manmohan Sonia Priya
Pooja Anjali Deepak Ravi Rakesh Mukesh Ashok Arun Vikram Krishna Gopal Lalit Manoj Nitin Nitish
Amitabh Sachin Virat Rohit Indira Lakshmi Sunita Anita Kavita Neha Divya Shreya Mamata Smriti Nirmala
Sushma Rajnath Amarinder Hemant Uddhav Mahinda Gotabaya Ranil Maithripala Velupillai Sajith Hasina
Khaleda Tarique Pushpa Sher Rishi Kamala Sundar Satya Ratan Mukesh Gautam
Vladimir Volodymyr Dmitry Dmitri Dmytro Sergei Sergey Serhiy Alexei Alexey Oleksiy Oleksii Andrei
Andriy Andrii Mikhail Mykhailo Nikolai Mykola Yevgeny Yevgeniy Evgeny Yevhen Igor Ihor Valery Valeriy
Vitaly Vitali Vitaliy Oleg Oleh Yuri Yury Yuriy Anatoly Anatoliy Gennady Ramzan Kirill Konstantin
Maxim Maksym Pavel Pavlo Petro Pyotr Ruslan Denys Artem Artyom Bogdan Bohdan Taras Vasily Vasyl
Yaroslav Stanislav Vyacheslav Arseniy Arseny Oleksandr Aleksandr Aleksei Rustem Rustam Kyrylo Valerii
Natalia Natalya Nataliya Olga Olha Yulia Yuliya Irina Iryna Svetlana Tatiana Tatyana Tetiana Elena
Yelena Olena Oksana Lyudmila Lyudmyla Marina Maryna Ekaterina Yekaterina Kateryna Anastasia Anastasiya
Daria Darya Galina Halyna Larisa Nadezhda Zhanna Ksenia Kseniya Polina Alina Lesya Ludmila Valentyna
Andrzej Jaroslaw Jarosław Lech Mateusz Tomasz Piotr Pawel Paweł Krzysztof Marek Wojciech Zbigniew
Jakub Aleksander Agnieszka Małgorzata Malgorzata Katarzyna Beata Ewa Milos Miloš Vojislav Aleksandar
Slobodan Zoran Dragan Goran Milorad Ratko Radovan Ferenc Gyula Laszlo László Janos János
Zoltan Zoltán Nicolae Ion Mihai Traian Viorica Klaus Mikheil Giorgi Bidzina Irakli Salome Nikol Serzh
Levon Ilham Heydar Mehriban Nursultan Shavkat Emomali Sadyr Serdar Gurbanguly Kassym Alexandr
Recep Tayyip Ekrem Selahattin Devlet Hakan Mevlut Mevlüt Binali Murat Emre Burak Cem Cengiz Ozan
Ozgur Özgür Ayse Ayşe Emine Zeynep Elif Meral Nechirvan Mazloum Mazlum Jalal Bafel Qubad Abdulkadir
Binyamin Yair Naftali Yoav Benny Gadi Itamar Bezalel Yitzhak Moshe Shimon Ehud Avigdor Gideon Yossi
Avi Eli Uri Yoni Oded Tzipi Golda Miri Ayelet Orit Yael Noa Tamar Shira Herzi Aviv Gilad Idan Omer
Itzik Haim Chaim Yehuda Yisrael Meir Ofir Ronen Amichai Merav Limor
Jose José Juan Luis Carlos Jorge Miguel Alejandro Andrés Andres Javier Diego Pedro Pablo Gustavo
Nicolás Nicolas Hugo Evo Álvaro Alvaro Iván Ivan Rafael Lenín Lenin Sebastián Sebastian Gabriel Felipe
Ignacio Jair Luiz Inácio Inacio Dilma Fernando Mauricio Cristina Claudia Xóchitl Xochitl Guadalupe
María Maria Rosa Carmen Lucía Lucia Sofía Sofia Valentina Camila Gabriela Ximena Joaquín Joaquin
Rodrigo Ovidio Nemesio Timoleón Gonzalo Santiago Mariano Isabel António Antonio Marcelo Nayib Gabriel
Daniel Dina Xiomara Bernardo Keiko Ollanta Pedro Gustavo Petro Iván Juan Manuel Álvaro Francia
Emmanuel François Francois Jean Jacques Marine Ségolène Segolene Olivier Gérald Édouard Edouard
Élisabeth Elisabeth Thierry Laurent Philippe Michel Olaf Angela Friedrich Annalena Wolfgang Helmut
Gerhard Jürgen Jurgen Horst Markus Ursula Sahra Giorgia Matteo Sergio Silvio Giuseppe Enrico Elly
Geert Frans Jens Mette Ulf Magdalena Stefan Sanna Kaja Jüri Gitanas Edgars Karin Kyriakos Alexis
Micheál Micheal Gerry Leo Keir Rishi Liz Theresa Boris Nigel Nicola Humza Mette Pekka Petteri Alar
Abiy Isaias Meles Tedros Debretsion Getachew Haile Mengistu Yoweri Uhuru Raila Cyril Thabo Julius Kwame
Kofi Goodluck Muhammadu Bola Atiku Olusegun Umaru Sani Yakubu Abubakar Aliyu Mamadou Amadou Ousmane
Oumar Boubacar Modibo Assimi Abdourahamane Mahamat Blaise Roch Alassane Félix Felix Faustin Emmerson
Hakainde Samia Jakaya Salva Riek Fatou Aminata Mariam Awa Kadiatou Nkosazana Winnie Ngozi Chimamanda
Chinua Wole Adebayo Oluwaseun Chukwuemeka Emeka Chidi Ngugi Wangari Eliud Abebe Almaz Meskerem
Hailemariam Moise Moïse Denis Paul Ibrahim Macky Ousmane Bassirou Adama
Kassim Hassan Abdiqasim Abdirahman Abdullahi Abdirahim Mohamud Hamza Ahmed Yoweri
Jinping Keqiang Xiaoping Zemin Jintao Qiang Wei Jun Hua Jie Ying
Shinzo Fumio Yoshihide Shigeru Sanae Taro Hiroshi Takeshi Kenji Haruki Yuki Akira Naoto Junichiro
Yoshiko Yuriko Hiroko Keiko Joko Prabowo Ferdinand Rodrigo Imelda Benigno Corazon Thaksin Yingluck
Prayut Prayuth Srettha Paetongtarn Anutin Mahathir Najib Muhyiddin Aung Lee
"""


def fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def main() -> int:
    if names.__version__ != PINNED_VERSION:
        print(f"warning: names {names.__version__} != pinned {PINNED_VERSION}")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    stop = set()
    with open(os.path.join(root, "data", "stopwords_capitalized.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                stop.add(fold(line))

    out: dict[str, str] = {}
    census = 0
    for key in ("first:male", "first:female"):
        with open(names.FILES[key], encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if not parts:
                    continue
                name = parts[0].capitalize()
                census += 1
                out.setdefault(fold(name), name)
    intl = 0
    for name in INTL_NAMES.split():
        intl += 1
        # keep a diacritic spelling as its own line only if its folded form is new
        out.setdefault(fold(name), name)
    kept = sorted((v for k, v in out.items() if k not in stop and len(k) >= 2), key=lambda s: (fold(s), s))
    path = os.path.join(root, "data", "person_first_names.txt")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Common given names, one per line (Title-case, sorted by folded form).\n")
        f.write("# Sources: US Census Bureau 1990 name files (public domain) via PyPI `names` 0.3.0,\n")
        f.write("# plus a hand-curated international supplement (scripts/gen_first_names.py INTL_NAMES).\n")
        f.write("# Names that are also in stopwords_capitalized.txt are left out. Regenerate with\n")
        f.write("# scripts/gen_first_names.py; do not edit by hand.\n")
        for name in kept:
            f.write(name + "\n")
    print(f"wrote {path}: {len(kept)} names (census rows {census}, intl tokens {intl})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
